// Edits to a document of a kind huashu reads (the LSP's code actions, SARIF and rdjson fixes), worked out
// on the document's text (UTF-16 offsets) and checked before they are offered: an edit to a Markdown, HTML, JSON or YAML file must change the text
// huashu reads from it exactly as intended (a replacement: the flagged words, nothing else; a directive
// comment: nothing at all), or it is not offered. A replacement that would need escaping gets it (a JSON
// string's \", an HTML entity); one that no escaping makes right (a YAML block scalar's comment) is dropped.
import type { Finding } from '../engine/findings.js';
import { extractSegments } from '../inputs/formats.js';
import type { InputFormat } from '../inputs/kinds.js';
import type { Segment } from '../inputs/mapped.js';
import { formatOf } from '../inputs/kinds.js';

/** Replace [start, end) of the document's text with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const apply = (text: string, e: TextEdit) => text.slice(0, e.start) + e.text + text.slice(e.end);

/** The texts huashu reads from a document of this kind; undefined when it does not parse. */
function readTexts(text: string, kind: InputFormat): string[] | undefined {
  if (kind === 'text') return [text];
  try {
    return extractSegments(text, kind).map((s) => s.text);
  } catch {
    return undefined;
  }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeJson = (s: string) => JSON.stringify(s).slice(1, -1);

/** Ways to write `text` into a document of this kind, the plainest first. */
function spellings(text: string, kind: InputFormat): string[] {
  const out = [text];
  if (kind === 'json' || kind === 'yaml') out.push(escapeJson(text));
  if (kind === 'html' || kind === 'markdown') out.push(escapeHtml(text));
  return [...new Set(out)];
}

/** The segment and the span in its text that the file span [start, end) was read into. */
function locate(segments: readonly Segment[], start: number, end: number): { index: number; from: number; to: number } | undefined {
  for (let index = 0; index < segments.length; index++) {
    const s = segments[index]!;
    const from = s.starts.indexOf(start);
    if (from < 0) continue;
    let to = from;
    while (to < s.ends.length && s.ends[to]! <= end) to++;
    if (to > from && s.ends[to - 1] === end) return { index, from, to };
  }
  return undefined;
}

/**
 * The edit putting `replacement` in place of a finding's words, spelled as the document's kind needs;
 * undefined when no spelling reads back as exactly that replacement.
 */
export function replacementEdit(
  text: string,
  kind: InputFormat,
  finding: Pick<Finding, 'offset' | 'length'>,
  replacement: string,
  /** The segments of `text` when already read (many findings of one file). */
  read?: Segment[],
): TextEdit | undefined {
  const start = finding.offset;
  const end = finding.offset + finding.length;
  if (kind === 'text') return { start, end, text: replacement };
  let segments: Segment[];
  try {
    segments = read ?? extractSegments(text, kind);
  } catch {
    return undefined;
  }
  const at = locate(segments, start, end);
  if (!at) return undefined;
  // The common case, without reading the file again: words copied as they are into the text read (no
  // escape, no entity), replaced by words with no ASCII punctuation, space or control character (nothing
  // any of the formats gives a meaning to).
  const s = segments[at.index]!;
  let verbatim = true;
  for (let i = at.from; i < at.to && verbatim; i++) verbatim = s.starts[i] === start + (i - at.from) && s.ends[i] === s.starts[i]! + 1;
  if (verbatim && at.to - at.from === end - start && INERT.test(replacement)) return { start, end, text: replacement };
  const expected = segments.map((s, i) => (i === at.index ? s.text.slice(0, at.from) + replacement + s.text.slice(at.to) : s.text));
  for (const spelled of spellings(replacement, kind)) {
    const edit = { start, end, text: spelled };
    const read = readTexts(apply(text, edit), kind);
    if (read && read.length === expected.length && read.every((t, i) => t === expected[i])) return edit;
  }
  return undefined;
}

const INERT = /^[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]+$/u;

/** The comment forms of a `huashu-disable-line` directive at the end of a line, by document kind. */
function lineComment(kind: InputFormat, ids: string): string | undefined {
  switch (kind) {
    case 'markdown':
    case 'html':
      return ` <!-- huashu-disable-line ${ids} -->`;
    case 'yaml':
    case 'text':
      return `  # huashu-disable-line ${ids}`;
    default:
      return undefined; // JSON has no comments: a config's overrides turn rules off there.
  }
}

/** Where the line holding `offset` ends (before its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

const EXISTING = /(<!--|#)[ \t]*huashu-disable-line\b([^\r\n]*?)(\s*-->|\s+--\s[^\r\n]*)?$/;

/**
 * The edit that turns `ruleId` off for the line a finding starts on: a `huashu-disable-line` comment at
 * the end of the line in the form the kind reads (the rule added to one already there). Undefined for
 * JSON, and where the comment would change the text huashu reads (a YAML block scalar, a code block).
 */
export function disableLineEdit(text: string, kind: InputFormat, offset: number, ruleId: string): TextEdit | undefined {
  const end = lineEnd(text, offset);
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  const line = text.slice(start, end);
  const existing = EXISTING.exec(line);
  let edit: TextEdit | undefined;
  if (existing && existing[2]!.trim() !== '') {
    // Add the rule to the directive already there (a directive without ids covers every rule already).
    const idsEnd = start + existing.index + existing[0].length - (existing[3]?.length ?? 0);
    const ids = existing[2]!.trim().split(/[\s,，]+/);
    if (ids.includes(ruleId)) return undefined;
    edit = { start: idsEnd, end: idsEnd, text: `, ${ruleId}` };
  } else if (existing) return undefined;
  else {
    const comment = lineComment(kind, ruleId);
    if (comment === undefined) return undefined;
    const trimmed = line.replace(/[ \t]+$/, '');
    edit = { start: start + trimmed.length, end, text: comment };
  }
  if (kind === 'text') return edit;
  // Spaces aside (the space before an inline comment stays in the text read), nothing read may change.
  const squeeze = (texts: string[] | undefined) => texts?.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const before = squeeze(readTexts(text, kind));
  const after = squeeze(readTexts(apply(text, edit), kind));
  if (!before || !after || before.length !== after.length || before.some((t, i) => t !== after[i])) return undefined;
  return edit;
}

/**
 * The safe replacements of each finding of the file at `path` (its kind by the name) as edits, each
 * spelled as the file needs; those no spelling makes right are left out. The file is read once.
 */
export function safeReplacements(path: string, text: string): (finding: Pick<Finding, 'offset' | 'length' | 'suggestions'>) => TextEdit[] {
  const kind = formatOf(path) ?? 'text';
  let segments: Segment[] | null | undefined;
  return (finding) => {
    const out: TextEdit[] = [];
    for (const s of finding.suggestions) {
      if (s.kind !== 'replace' || !s.safe) continue;
      if (kind !== 'text' && segments === undefined) {
        try {
          segments = extractSegments(text, kind);
        } catch {
          segments = null;
        }
      }
      if (segments === null) break;
      const edit = replacementEdit(text, kind, finding, s.text, segments);
      if (edit) out.push(edit);
    }
    return out;
  };
}
