// The training documents ("seeds") that rules cite, read at run time when they are available: a short
// passage after a cited section heading. The documents are web copies, so the heading is looked up in
// normalized form (script, full-width punctuation and pinyin readings such as 客戶(hù) do not matter) and
// the passage is given back in the document's own characters, pinyin readings left out.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { normalize, type Normalized } from '../normalize/index.js';
import type { SourceRef } from '../rules/types.js';

/** The seeds folder: --seeds, else $HUASHU_SEEDS; undefined when neither is set. */
export function seedsDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return option ?? (env['HUASHU_SEEDS'] || undefined);
}

/** Normalized text with white space removed, and for each kept unit its index in `n.text`. */
function compact(n: Normalized): { text: string; index: number[] } {
  let text = '';
  const index: number[] = [];
  for (let i = 0; i < n.text.length; i++) {
    if (/\s/.test(n.text[i]!)) continue;
    text += n.text[i];
    index.push(i);
  }
  return { text, index };
}

/** Ways a section may be written in the document: as cited, without its 三、 numbering, without 1. */
function headingCandidates(section: string): string[] {
  const out = [section];
  const noChapter = section.replace(/^[一二三四五六七八九十]+、\s*/, '');
  out.push(noChapter);
  out.push(noChapter.replace(/^\d+[.、]\s*/, ''));
  return [...new Set(out.map((s) => compact(normalize(s)).text).filter((s) => s.length >= 2))];
}

/** The document's own characters for normalized units [from, to): dropped pinyin readings stay out. */
function originalOf(n: Normalized, from: number, to: number): string {
  let out = '';
  let last = -1;
  for (let i = from; i < to; i++) {
    const start = n.origStart[i]!;
    if (start === last) continue;
    out += n.original.slice(start, n.origEnd[i]);
    last = start;
  }
  return out;
}

const SENTENCE_END = /[。!?！？]/;

/** Normalized units [from, to) as the document wrote them, spaces folded; `…` where cut mid-sentence. */
function excerpt(n: Normalized, from: number, to: number, cutBefore: boolean, cutAfter: boolean): string | undefined {
  const text = originalOf(n, from, to).replace(/\s+/g, ' ').trim();
  return text ? `${cutBefore ? '…' : ''}${text}${cutAfter ? '…' : ''}` : undefined;
}

/** The sentence(s) of the document holding normalized units [start, end), at most `max` more around them. */
function sentenceAround(n: Normalized, start: number, end: number, max: number): string | undefined {
  let from = start;
  while (from > 0 && start - from < max && !SENTENCE_END.test(n.text[from - 1]!) && n.text[from - 1] !== '\n') from--;
  let to = end;
  while (to < n.text.length && to - end < max && !SENTENCE_END.test(n.text[to - 1]!) && n.text[to] !== '\n') to++;
  const cutBefore = from > 0 && !SENTENCE_END.test(n.text[from - 1]!) && n.text[from - 1] !== '\n';
  const cutAfter = to < n.text.length && !SENTENCE_END.test(n.text[to - 1]!) && n.text[to] !== '\n';
  return excerpt(n, from, to, cutBefore, cutAfter);
}

/** Where `phrase` occurs in the compacted document at or after unit `after`; -1 if not. */
function find(c: { text: string }, phrase: string, after = 0): number {
  return phrase.length >= 2 ? c.text.indexOf(phrase, after) : -1;
}

/** Where the section's heading ends in the compacted document, or -1 when no form of it is there. */
function headingEndIn(c: { text: string }, section: string): number {
  for (const heading of headingCandidates(section)) {
    const at = find(c, heading);
    if (at >= 0) return at + heading.length;
  }
  return -1;
}

/**
 * What the document says at a citation. With an `anchor` (a model sentence the rule suggests) that the
 * document contains: the sentence it is in. Otherwise up to about `max` characters after the section
 * heading, ended at a sentence end when there is one. undefined when the heading is not found either.
 */
export function passageAfter(document: string, section: string, anchor?: string, max = 140): string | undefined {
  const n = normalize(document.replace(/^\uFEFF/, ''));
  const c = compact(n);
  const headingEnd = headingEndIn(c, section);
  if (anchor) {
    const phrase = compact(normalize(anchor)).text.replace(/[。.!?！？]+$/, '');
    // In the cited section if possible, else anywhere in the document.
    let at = find(c, phrase, Math.max(0, headingEnd));
    if (at < 0) at = find(c, phrase);
    if (at >= 0 && phrase.length >= 6) return sentenceAround(n, c.index[at]!, c.index[at + phrase.length - 1]! + 1, max / 2);
  }
  if (headingEnd < 0) return undefined;
  let from = c.index[headingEnd - 1]! + 1;
  while (from < n.text.length && /[\s:：]/.test(n.text[from]!)) from++;
  let to = from;
  let lastSentenceEnd = -1;
  while (to < n.text.length && to - from < max) {
    // A blank line ends the section's first paragraph.
    if (n.text[to] === '\n' && n.text[to + 1] === '\n' && to > from) break;
    if (SENTENCE_END.test(n.text[to]!)) lastSentenceEnd = to + 1;
    to++;
  }
  const long = to - from >= max;
  if (long && lastSentenceEnd > from) to = lastSentenceEnd;
  return excerpt(n, from, to, false, long && lastSentenceEnd <= from);
}

/** A line that starts another section: 四、…, 2. …, 3、…, 第二章, a Markdown heading. */
const NEXT_HEADING = /\n[ \t]*(?:#{1,6}[ \t]|[一二三四五六七八九十]+、|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十\d]+[章節节])/;

/**
 * The whole section a citation points at: from after its heading to the next heading (or a blank line
 * followed by a heading), at most `max` characters, ended at a sentence end. undefined when the heading
 * is not found. Web copies on one long line end at `max`.
 */
export function sectionText(document: string, section: string, max = 400): string | undefined {
  const n = normalize(document.replace(/^\uFEFF/, ''));
  const c = compact(n);
  const headingEnd = headingEndIn(c, section);
  if (headingEnd < 0) return undefined;
  let from = c.index[headingEnd - 1]! + 1;
  while (from < n.text.length && /[\s:：]/.test(n.text[from]!)) from++;
  const rest = n.text.slice(from, from + max + 1);
  const next = NEXT_HEADING.exec(rest);
  let to = from + (next ? next.index : Math.min(rest.length, max));
  let cut = false;
  if (!next && rest.length > max) {
    // cut at the last sentence end before max
    const window = n.text.slice(from, to);
    const last = Math.max(...[...'。!?！？'].map((p) => window.lastIndexOf(p)));
    if (last > 0) to = from + last + 1;
    else cut = true;
  }
  const text = originalOf(n, from, to).replace(/[ \t]+/g, ' ').replace(/\n{2,}/g, '\n').trim();
  return text ? `${text}${cut ? '…' : ''}` : undefined;
}

/** A cited document's text from the seeds folder, read once per `cache`; null when it cannot be read. */
async function seedText(dir: string, source: SourceRef, cache: Map<string, string | null>): Promise<string | null> {
  let document = cache.get(source.doc);
  if (document === undefined) {
    try {
      // basename: a citation names a file in the folder, never a path out of it.
      document = await readFile(join(dir, basename(source.doc)), 'utf8');
    } catch {
      document = null;
    }
    cache.set(source.doc, document);
  }
  return document;
}

/** The whole cited section, read from the seeds folder (see sectionText); undefined when it cannot be read. */
export async function readSection(dir: string | undefined, source: SourceRef, cache = new Map<string, string | null>()): Promise<string | undefined> {
  if (!dir) return undefined;
  const document = await seedText(dir, source, cache);
  return document === null ? undefined : sectionText(document, source.section);
}

/** The passage a citation points at, read from the seeds folder; undefined when it cannot be read. */
export async function readPassage(
  dir: string | undefined,
  source: SourceRef,
  anchor?: string,
  cache = new Map<string, string | null>(),
): Promise<string | undefined> {
  if (!dir) return undefined;
  const document = await seedText(dir, source, cache);
  return document === null ? undefined : passageAfter(document, source.section, anchor);
}
