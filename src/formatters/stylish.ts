// Human-readable output for a terminal: per file a header, per finding its position, severity, message and
// rule, the draft's line with the span underlined (aligned in terminal cells: a CJK character is two), and
// the suggested wording. A summary line at the end.
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import type { Finding } from '../engine/findings.js';
import type { Severity } from '../rules/types.js';
import { isBinarySkip, joined, summarize, type ChunkFormatter, type FileResult, type FormatOptions, type Summary } from './types.js';
import { citeText } from '../explain/sources.js';

/** Lines wider than this many terminal cells are cut short ('...') around the span. */
export const LINE_CELLS = 100;
const ELLIPSIS = '...'; // ASCII: '…' is of ambiguous width and two cells wide on some CJK terminals

/** Characters that would move the cursor or change the terminal: shown as one space each. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (s: string) => s.replace(CONTROL, ' ');

// Cell widths. string-width handles every case (emoji, combining marks, grapheme clusters) but costs about as
// much start-up as linting a draft, so the characters replies are made of (ASCII, CJK ideographs and
// punctuation, kana, hangul, full-width forms) are counted here, and string-width is loaded only for text
// with anything else in it. Each range gives exactly string-width's answer (test/formatters.test.ts checks
// every code point), and no two of these characters ever form one grapheme cluster.
const SIMPLE_RANGES: readonly (readonly [from: number, to: number, cells: 1 | 2])[] = [
  [0x20, 0x7e, 1],
  [0x2010, 0x2027, 1], // dashes, quotes, ellipsis (East Asian ambiguous: narrow)
  [0x2e80, 0x2e99, 2],
  [0x2e9b, 0x2ef3, 2],
  [0x2f00, 0x2fd5, 2],
  [0x3000, 0x3029, 2], // CJK symbols and punctuation, before the combining tone marks
  [0x3030, 0x303e, 2],
  [0x3041, 0x3096, 2], // hiragana
  [0x309b, 0x30ff, 2], // katakana
  [0x3400, 0x4dbf, 2],
  [0x4e00, 0x9fff, 2],
  [0xac00, 0xd7a3, 2], // hangul syllables
  [0xf900, 0xfaff, 2],
  [0xff01, 0xff60, 2], // full-width forms
  [0xffe0, 0xffe6, 2],
];

function simpleWidth(code: number): number {
  if (code >= 0x20 && code <= 0x7e) return 1;
  if (code >= 0x4e00 && code <= 0x9fff) return 2; // the common case first: CJK ideographs
  for (let r = 1; r < SIMPLE_RANGES.length; r++) {
    const range = SIMPLE_RANGES[r]!;
    if (code < range[0]) return 0;
    if (code <= range[1]) return range[2];
  }
  return 0;
}

/** Cells of `s` when every character is in SIMPLE_RANGES, else undefined. */
function simpleCells(s: string): number | undefined {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const w = simpleWidth(s.charCodeAt(i));
    if (w === 0) return undefined;
    n += w;
  }
  return n;
}

let stringWidth: ((s: string) => number) | undefined;

/**
 * Load string-width if any of `texts` (default: always) has characters that SIMPLE_RANGES does not cover
 * (control characters do not count unless `asIs`: the stylish report shows them as spaces). Await it
 * before `cells`, `underline` or `formatStylish` meet such text. string-width and its Intl.Segmenter take
 * ~50 ms to start, which most reports need not pay.
 */
export async function loadCellWidths(texts?: Iterable<string | undefined>, { asIs = false } = {}): Promise<void> {
  if (stringWidth) return;
  if (texts) {
    let simple = true;
    for (const t of texts) if (t && simpleCells(asIs ? t : clean(t)) === undefined) simple = false;
    if (simple) return;
  }
  stringWidth = (await import('string-width')).default;
}

/** Terminal cells a string takes (CJK and full-width characters two, combining marks none). */
export function cells(s: string): number {
  const n = simpleCells(s);
  if (n !== undefined) return n;
  if (!stringWidth) throw new Error('internal: loadCellWidths() was not awaited before measuring non-CJK text');
  return stringWidth(s);
}

export interface Underlined {
  /** The line as shown (control characters blanked, cut short with '...' around a long line). */
  line: string;
  /** Spaces then carets, the carets under the span. */
  carets: string;
}

/** Keep the last (or first) `max` cells of `s`, with '...' where it was cut. */
function clip(s: string, max: number, keepEnd: boolean): string {
  if (cells(s) <= max) return s;
  const chars = Array.from(s);
  let kept = '';
  let width = 0;
  const room = max - ELLIPSIS.length;
  if (keepEnd) {
    for (let i = chars.length - 1; i >= 0; i--) {
      const w = cells(chars[i]!);
      if (width + w > room) break;
      kept = chars[i]! + kept;
      width += w;
    }
    return ELLIPSIS + kept;
  }
  for (const ch of chars) {
    const w = cells(ch);
    if (width + w > room) break;
    kept += ch;
    width += w;
  }
  return kept + ELLIPSIS;
}

/**
 * The line holding [offset, offset + length) of `text`, and a caret line underlining that span. A span that
 * runs past its line is underlined to the line's end. A line wider than `width` cells is cut short on
 * either side of the span, sharing the room between the two sides; a span too wide for that is cut too.
 */
export function underline(text: string, offset: number, length: number, width = LINE_CELLS): Underlined {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  const spanEnd = Math.min(offset + length, end);
  const fullBefore = clean(text.slice(start, offset));
  let before = fullBefore;
  const span = clean(text.slice(offset, spanEnd));
  let after = clean(text.slice(spanEnd, end));
  const room = Math.max(0, width - cells(span));
  const [wb, wa] = [cells(before), cells(after)];
  if (wb + wa > room) {
    const half = Math.floor(room / 2);
    const forBefore = wa < half ? room - wa : Math.max(half, room - wa);
    const keepBefore = Math.max(ELLIPSIS.length + 2, Math.min(wb, forBefore));
    before = clip(before, keepBefore, true);
    after = clip(after, Math.max(ELLIPSIS.length + 2, room - cells(before)), false);
  }
  if (cells(before) + cells(span) + cells(after) > width) {
    // The span leaves no room for context: a little before it, then the span cut short, the carets to the
    // cut. The line still fits `width`, so a terminal that wide does not wrap it under the carets.
    before = clip(fullBefore, ELLIPSIS.length + 2, true);
    const shown = clip(span, Math.max(ELLIPSIS.length + 2, width - cells(before)), false);
    return { line: before + shown, carets: ' '.repeat(cells(before)) + '^'.repeat(cells(shown)) };
  }
  return { line: before + span + after, carets: ' '.repeat(cells(before)) + '^'.repeat(Math.max(1, cells(span))) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryLine(s: Summary): string {
  return `${plural(s.findings, 'problem', 'problems')} (${plural(s.errors, 'error', 'errors')}, ${plural(s.warnings, 'warning', 'warnings')}, ${s.infos} info)`;
}

function severityColor(c: ChalkInstance, severity: Severity): ChalkInstance {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}

function formatFinding(c: ChalkInstance, f: Finding, text: string | undefined, positionWidth: number): string[] {
  const color = severityColor(c, f.severity);
  const position = `${f.line}:${f.column}`.padEnd(positionWidth);
  const out = [`  ${c.dim(position)}  ${color(f.severity.padEnd(7))}  ${clean(f.message)}  ${c.dim(f.ruleId)}`];
  if (text !== undefined) {
    const u = underline(text, f.offset, f.length);
    out.push(`    ${u.line}`, `    ${color(u.carets)}`);
  }
  for (const s of f.suggestions) {
    const source = s.source ? `  ${c.dim(`(${citeText(s.source)})`)}` : '';
    out.push(`    ${c.green('→')} ${s.text === '' ? c.dim('(delete)') : clean(s.text)}${source}`);
  }
  return out;
}

export const stylishChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  const c = new Chalk({ level: options.color ? Math.max(chalk.level, 1) as 1 | 2 | 3 : 0 });
  const summary = summarize(files);
  if (options.quiet && summary.findings === 0) return;
  for (const file of files) {
    if (file.findings.length === 0) continue;
    yield `${c.underline(clean(file.path))}\n`; // a file name can hold escape sequences too
    // a loop, not Math.max(...): a spread of 100k findings overflows the stack
    let positionWidth = 0;
    for (const f of file.findings) positionWidth = Math.max(positionWidth, `${f.line}:${f.column}`.length);
    for (const f of file.findings) yield formatFinding(c, f, file.text, positionWidth).join('\n') + '\n';
    yield '\n';
  }
  yield `${summaryText(c, summary, files)}\n`;
};

/**
 * The last line. "no problems" only when every input was linted: a missing, undecodable or unreadable
 * input (exit code 2) is not a clean run, nor is a run where nothing could be linted at all.
 */
function summaryText(c: ChalkInstance, summary: Summary, files: readonly FileResult[]): string {
  const linted = summary.files - summary.skipped;
  const notLinted = summary.skipped > 0 ? `; ${plural(summary.skipped, 'file', 'files')} not linted` : '';
  if (summary.findings > 0) {
    const color = summary.errors > 0 ? c.red.bold : summary.warnings > 0 ? c.yellow.bold : c.blue.bold;
    return color(`✖ ${summaryLine(summary)}`) + notLinted;
  }
  const failed = files.some((f) => f.error !== undefined && !isBinarySkip(f)) || (summary.skipped > 0 && linted === 0);
  if (failed) {
    const rest = linted === 0 ? ' (0 files linted)' : `; no problems in the ${plural(linted, 'file', 'files')} linted`;
    return c.red.bold(`✖ ${plural(summary.skipped, 'file', 'files')} could not be linted`) + rest;
  }
  return (summary.skipped > 0 ? c.yellow : c.green)(`✔ no problems`) + ` (${plural(linted, 'file', 'files')} linted)` + notLinted;
}

export const formatStylish = joined(stylishChunks);
