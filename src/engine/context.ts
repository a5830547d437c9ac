// Sentence, clause and line spans over the normalized text: the windows that exceptions look in.

// What each code unit is, looked up by char code: these run for every character of every reply.
const SENTENCE_END = 1;
const CLAUSE_END = 2;
const KIND = new Uint8Array(0x10000);
for (const ch of '。!?！？;；\n\r｡') KIND[ch.charCodeAt(0)] = SENTENCE_END;
for (const ch of ',，、:：~～…()「」"“”') KIND[ch.charCodeAt(0)] = CLAUSE_END;

function isWide(text: string, i: number): boolean {
  return i >= 0 && i < text.length && text.charCodeAt(i) >= 0x2e80;
}

function isAlphanumeric(text: string, i: number): boolean {
  const c = i >= 0 && i < text.length ? text.charCodeAt(i) : 0;
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Does the character at `i` end a sentence? */
export function isSentenceBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (KIND[c] === SENTENCE_END) return true;
  // Weibo replies use ASCII full stops; 3.5 is a number, not two sentences.
  if (c === 0x2e) return !(isAlphanumeric(text, i - 1) && isAlphanumeric(text, i + 1));
  // Chat exports join consecutive messages with a space: 是的哦 亲爱哒.
  if (c === 0x20) return isWide(text, i - 1) && isWide(text, i + 1);
  return false;
}

export function isClauseBreak(text: string, i: number): boolean {
  return KIND[text.charCodeAt(i)] === CLAUSE_END || isSentenceBreak(text, i);
}

export function isLineBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x0a || c === 0x0d;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Context windows are at most this long. A "sentence" of megabytes (a whole export on one line, text
 * without punctuation) is cut into blocks at fixed multiples of this length, so each match looks at a
 * bounded window and matches in the same block share it (and its segmentation).
 */
export const MAX_SPAN = 4096;

/** The span around [start, end) delimited by characters for which `isBreak` holds (or a block edge). */
export function spanAround(text: string, start: number, end: number, isBreak: (t: string, i: number) => boolean): Span {
  const blockStart = start - (start % MAX_SPAN);
  const blockEnd = Math.min(text.length, Math.max(end, blockStart + MAX_SPAN));
  let s = start;
  while (s > blockStart && !isBreak(text, s - 1)) s--;
  let e = end;
  while (e < blockEnd && !isBreak(text, e)) e++;
  return { start: s, end: e };
}

/**
 * The same spans as `spanAround`, from the positions of all breaks found once per text: a draft with
 * thousands of matches must not rescan the text around each of them.
 */
export class BreakIndex {
  private readonly breaks: Int32Array;
  constructor(
    private readonly text: string,
    isBreak: (t: string, i: number) => boolean,
  ) {
    const found: number[] = [];
    for (let i = 0; i < text.length; i++) if (isBreak(text, i)) found.push(i);
    this.breaks = Int32Array.from(found);
  }

  /** Index of the first break at or after `at`. */
  private firstAtOrAfter(at: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breaks[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  spanAround(start: number, end: number): Span {
    const blockStart = start - (start % MAX_SPAN);
    const blockEnd = Math.min(this.text.length, Math.max(end, blockStart + MAX_SPAN));
    const before = this.firstAtOrAfter(start) - 1; // last break before `start`
    const after = this.firstAtOrAfter(end);
    return {
      start: before >= 0 ? Math.max(blockStart, this.breaks[before]! + 1) : blockStart,
      end: after < this.breaks.length ? Math.min(blockEnd, this.breaks[after]!) : blockEnd,
    };
  }
}
