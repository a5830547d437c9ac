// Normalization: one canonical form (simplified characters, half-width ASCII, no invisible
// characters, no web-copy pinyin readings) for matching, plus an exact map back to the original.
import { simplifiedCodePoint } from './charmaps.js';

export { detectScript, type Script } from './script.js';

export interface Normalized {
  readonly original: string;
  /** The canonical text that rules are matched against. */
  readonly text: string;
  /** For each UTF-16 unit of `text`: start offset (UTF-16) of the original character it came from. */
  readonly origStart: Int32Array;
  /** For each UTF-16 unit of `text`: end offset (exclusive) of the original character it came from. */
  readonly origEnd: Int32Array;
}

// Invisible characters that agents paste from web pages and chat tools: zero-width spaces and joiners,
// BOM, soft hyphen, bidi controls. They are dropped so 保\u200b證 still matches 保證.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
// Pinyin readings that web copies put after characters: 客戶(hù), 問(wèn)題. Only lower-case latin with a
// tone mark, right after a Han character, so real parentheses are left alone.
const PINYIN_READING = /(?<=\p{Script=Han})\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)/gu;

function isCompatibilityForm(cp: number): boolean {
  return (
    (cp >= 0x2460 && cp <= 0x24ff) || // enclosed alphanumerics ①
    (cp >= 0x2f00 && cp <= 0x2fdf) || // Kangxi radicals ⼀ that garbled copies use for 一
    (cp >= 0x3200 && cp <= 0x33ff) || // enclosed CJK, squared forms
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe50 && cp <= 0xfe6f) || // small form variants
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** The canonical form of one code point ('' to drop it). */
function canonical(cp: number, ch: string): string {
  if (cp < 0x80) return ch;
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0); // full-width ASCII
  if (cp === 0x3000) return ' ';
  if (INVISIBLE.test(ch)) return '';
  if (isCompatibilityForm(cp)) return ch.normalize('NFKC');
  const s = simplifiedCodePoint(cp);
  return s === cp ? ch : String.fromCodePoint(s);
}

function pinyinRanges(original: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (!original.includes('(')) return ranges;
  for (const m of original.matchAll(PINYIN_READING)) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

export function normalize(original: string): Normalized {
  // Memory is bounded by the text (a 50 MB draft must not take gigabytes): unchanged runs of the original
  // are copied as slices, and the map is written into typed arrays that grow only when NFKC expands a
  // character (㍻ → 平成), instead of one JS string and two JS numbers per character.
  const out: string[] = [];
  let starts = new Int32Array(original.length + 16);
  let ends = new Int32Array(original.length + 16);
  let size = 0;
  let runStart = 0; // start of the pending run of original text that is copied unchanged
  const flush = (upTo: number) => {
    if (upTo > runStart) out.push(original.slice(runStart, upTo));
  };
  const skip = pinyinRanges(original);
  let skipIdx = 0;
  let lastWasSpace = false;
  for (let i = 0; i < original.length; ) {
    const range = skip[skipIdx];
    if (range && i >= range[0]) {
      flush(i);
      i = range[1];
      runStart = i;
      skipIdx++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 1 ? original[i]! : original.slice(i, i + 2);
    let piece = canonical(cp, ch);
    // Runs of spaces and tabs fold to one space; line breaks are kept (they end sentences).
    const isSpace = piece === ' ' || piece === '\t';
    if (isSpace) {
      if (lastWasSpace) piece = '';
      else piece = ' ';
    }
    if (piece !== '') lastWasSpace = isSpace;
    if (piece !== ch) {
      flush(i);
      out.push(piece);
      runStart = i + width;
    }
    if (size + piece.length > starts.length) {
      const grown = Math.max(starts.length * 2, size + piece.length);
      starts = copyInto(new Int32Array(grown), starts);
      ends = copyInto(new Int32Array(grown), ends);
    }
    for (let k = 0; k < piece.length; k++) {
      starts[size] = i;
      ends[size] = i + width;
      size++;
    }
    i += width;
  }
  flush(original.length);
  return {
    original,
    text: out.join(''),
    origStart: starts.subarray(0, size),
    origEnd: ends.subarray(0, size),
  };
}

function copyInto(to: Int32Array<ArrayBuffer>, from: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  to.set(from);
  return to;
}

/** Map a half-open span of the normalized text back to the original text. */
export function toOriginalSpan(n: Normalized, start: number, end: number): { offset: number; length: number } {
  if (end <= start) {
    const at = start < n.origStart.length ? n.origStart[start]! : n.original.length;
    return { offset: at, length: 0 };
  }
  let offset = n.origStart[start]!;
  let stop = n.origEnd[end - 1]!;
  // CRLF is one line break: a span (from a pack's pattern such as `保证\s`) that takes only half of it
  // is widened to the whole break, else its start or end would have no line/column an editor can show.
  const o = n.original;
  if (offset > 0 && o.charCodeAt(offset) === 10 && o.charCodeAt(offset - 1) === 13) offset--;
  if (stop < o.length && o.charCodeAt(stop) === 10 && o.charCodeAt(stop - 1) === 13) stop++;
  return { offset, length: stop - offset };
}
