// Sentence, clause and line spans over the normalized text: the windows that exceptions look in.

const SENTENCE_END = new Set(['。', '!', '?', '！', '？', ';', '；', '\n', '\r', '｡']);
const CLAUSE_END = new Set([',', '，', '、', ':', '：', '~', '～', '…', '(', ')', '「', '」', '"', '“', '”']);

function isWide(ch: string | undefined): boolean {
  return ch !== undefined && ch.charCodeAt(0) >= 0x2e80;
}

/** Does the character at `i` end a sentence? */
export function isSentenceBreak(text: string, i: number): boolean {
  const ch = text[i]!;
  if (SENTENCE_END.has(ch)) return true;
  // Weibo replies use ASCII full stops; 3.5 is a number, not two sentences.
  if (ch === '.') return !(/[0-9A-Za-z]/.test(text[i - 1] ?? '') && /[0-9A-Za-z]/.test(text[i + 1] ?? ''));
  // Chat exports join consecutive messages with a space: 是的哦 亲爱哒.
  if (ch === ' ') return isWide(text[i - 1]) && isWide(text[i + 1]);
  return false;
}

export function isClauseBreak(text: string, i: number): boolean {
  return CLAUSE_END.has(text[i]!) || isSentenceBreak(text, i);
}

export function isLineBreak(text: string, i: number): boolean {
  const ch = text[i];
  return ch === '\n' || ch === '\r';
}

export interface Span {
  start: number;
  end: number;
}

/** The span around [start, end) delimited by characters for which `isBreak` holds. */
export function spanAround(text: string, start: number, end: number, isBreak: (t: string, i: number) => boolean): Span {
  let s = start;
  while (s > 0 && !isBreak(text, s - 1)) s--;
  let e = end;
  while (e < text.length && !isBreak(text, e)) e++;
  return { start: s, end: e };
}
