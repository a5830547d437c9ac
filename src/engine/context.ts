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
  // (Not the courtesy space before 閣下 in formal Hong Kong letters: 為保障 閣下戶口安全.)
  if (c === 0x20) return isWide(text, i - 1) && isWide(text, i + 1) && !text.startsWith('阁下', i + 1) && !text.startsWith('閣下', i + 1);
  return false;
}

export function isClauseBreak(text: string, i: number): boolean {
  const kind = KIND[text.charCodeAt(i)];
  // 3～5 個工作天, 10:30: a range or a time between digits, not two clauses
  if (kind === CLAUSE_END && isDigit(text, i - 1) && isDigit(text, i + 1)) return false;
  return kind === CLAUSE_END || isSentenceBreak(text, i);
}

function isDigit(text: string, i: number): boolean {
  const c = i >= 0 && i < text.length ? text.charCodeAt(i) : 0;
  return c >= 0x30 && c <= 0x39;
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
 * How far a context window reaches for its sentence, clause or line break. Text with a break within this
 * many characters gets its true span, whatever the position (a sentence across a 4,096-character mark
 * keeps its negation: 無法保證). A "sentence" of megabytes (a whole export on one line, text without
 * punctuation) has no break that near: it is cut into blocks at fixed multiples of this length, so
 * each match looks at a bounded window and matches in the same block share it (and its segmentation).
 */
export const MAX_SPAN = 4096;

/** The span around [start, end) delimited by characters for which `isBreak` holds (or a block edge). */
export function spanAround(text: string, start: number, end: number, isBreak: (t: string, i: number) => boolean): Span {
  let s = start;
  const reachBack = Math.max(0, start - MAX_SPAN);
  while (s > reachBack && !isBreak(text, s - 1)) s--;
  let e = end;
  const reachOn = Math.min(text.length, end + MAX_SPAN);
  while (e < reachOn && !isBreak(text, e)) e++;
  return bounded(text.length, start, end, s === 0 || isBreak(text, s - 1) ? s : -1, e === text.length || isBreak(text, e) ? e : -1);
}

/** The span from the breaks found (-1: none within reach, so the fixed block around the match). */
function bounded(length: number, start: number, end: number, s: number, e: number): Span {
  const blockStart = start - (start % MAX_SPAN);
  return { start: s >= 0 ? s : blockStart, end: e >= 0 ? e : Math.min(length, Math.max(end, blockStart + MAX_SPAN)) };
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
    const before = this.firstAtOrAfter(start) - 1; // last break before `start`
    const after = this.firstAtOrAfter(end);
    const length = this.text.length;
    const reachBack = Math.max(0, start - MAX_SPAN);
    const reachOn = Math.min(length, end + MAX_SPAN);
    const s = before >= 0 && this.breaks[before]! >= reachBack - 1 ? this.breaks[before]! + 1 : reachBack === 0 ? 0 : -1;
    const e = after < this.breaks.length && this.breaks[after]! <= reachOn ? this.breaks[after]! : reachOn === length ? length : -1;
    return bounded(length, start, end, s, e);
  }
}
