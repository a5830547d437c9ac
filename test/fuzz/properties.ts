// The properties every draft must satisfy, written as plain checks that throw a descriptive Error, so
// the vitest suite (small budget) and `npm run fuzz` (≥ 1,000,000 cases) share them.
//
// Position units (src/engine/position.ts, README "Positions"): `offset`/`length` are UTF-16 code units
// of the original text; `line`/`column` are 1-based, lines end at \n, \r\n or \r, and columns count
// Unicode code points (a surrogate pair is one column, a lone surrogate is one column too, as
// `Array.from` counts them); `endLine`/`endColumn` are the position just after the span.
import { lintText } from '../../src/engine/lint.js';
import type { Finding } from '../../src/engine/findings.js';
import { normalize } from '../../src/normalize/index.js';
import type { RuleSet } from '../../src/rules/compile.js';

function fail(what: string, text: string, detail: unknown): never {
  throw new Error(`${what}\n  text: ${JSON.stringify(text)}\n  ${JSON.stringify(detail)}`);
}

/**
 * The 1-based line and code-point column of a UTF-16 offset, computed independently of LineIndex: split
 * the text before the offset at line breaks. An offset between the \r and \n of a CRLF is not a position
 * an editor can show; no finding may start or end there (checked separately).
 */
export function expectedPosition(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!).length + 1 };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when `offset` splits a surrogate pair (or, with `crlf`, a CRLF line break). */
function splitsUnit(text: string, offset: number, crlf = true): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return (isHigh(before) && isLow(after)) || (crlf && before === 13 && after === 10);
}

export function checkFinding(text: string, f: Finding): void {
  if (!(Number.isInteger(f.offset) && Number.isInteger(f.length) && f.offset >= 0 && f.length > 0 && f.offset + f.length <= text.length)) {
    fail('span out of range', text, f);
  }
  if (text.slice(f.offset, f.offset + f.length) !== f.excerpt) fail('excerpt differs from original.slice(offset, offset + length)', text, f);
  if (splitsUnit(text, f.offset) || splitsUnit(text, f.offset + f.length)) fail('span splits a surrogate pair or CRLF', text, f);
  const start = expectedPosition(text, f.offset);
  if (start.line !== f.line || start.column !== f.column) fail(`line/column disagree with offset: expected ${start.line}:${start.column}`, text, f);
  const end = expectedPosition(text, f.offset + f.length);
  if (end.line !== f.endLine || end.column !== f.endColumn) fail(`endLine/endColumn disagree with offset + length: expected ${end.line}:${end.column}`, text, f);
}

/** lintText never throws, and every finding points exactly at its excerpt. */
export function checkLint(text: string, rules: RuleSet): Finding[] {
  let findings: Finding[];
  try {
    findings = lintText(text, rules);
  } catch (e) {
    fail(`lintText threw: ${(e as Error).stack ?? String(e)}`, text, null);
  }
  let previous = -1;
  for (const f of findings) {
    checkFinding(text, f);
    if (f.offset < previous) fail('findings out of order', text, findings);
    previous = f.offset;
  }
  return findings;
}

// What normalization may drop: invisible characters, runs of white space after the first, and pinyin
// readings in parentheses. Anything else must reach the normalized text.
const DROPPABLE = /^[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF \t\u3000]$|^[()a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]$/u;

/** The offset map is as long as the normalized text, monotonic, on code-point boundaries and total. */
export function checkNormalize(text: string): void {
  const n = normalize(text);
  const { origStart, origEnd } = n;
  if (n.original !== text) fail('original changed', text, null);
  if (origStart.length !== n.text.length || origEnd.length !== n.text.length) fail('offset map length differs from the normalized text', text, [origStart.length, n.text.length]);
  const covered = new Uint8Array(text.length + 1);
  for (let i = 0; i < n.text.length; i++) {
    const s = origStart[i]!;
    const e = origEnd[i]!;
    if (!(s >= 0 && s < e && e <= text.length)) fail(`bad span at ${i}`, text, [s, e]);
    if (splitsUnit(text, s, false) || splitsUnit(text, e, false)) fail(`span at ${i} splits a character`, text, [s, e]);
    if (i > 0 && (s < origStart[i - 1]! || e < origEnd[i - 1]!)) fail(`offset map not monotonic at ${i}`, text, [origStart[i - 1], s]);
    if (i > 0 && s !== origStart[i - 1]! && s < origEnd[i - 1]!) fail(`offset map overlaps at ${i}`, text, [s, origEnd[i - 1]]);
    covered.fill(1, s, e);
  }
  // Total: every original code point is either mapped or one that normalization is allowed to drop.
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    if (!covered[i] && !DROPPABLE.test(String.fromCodePoint(cp))) fail(`original character at ${i} (U+${cp.toString(16)}) lost`, text, n.text);
    i += w;
  }
}
