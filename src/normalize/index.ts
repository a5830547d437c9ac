// Normalization: one canonical form (simplified characters, half-width ASCII, no invisible
// characters, no web-copy pinyin readings) for matching, plus an exact map back to the original.
import { simplifiedCodePoint } from './charmaps.js';
import { HAN_RANGES } from './han.js';

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
function isInvisible(cp: number): boolean {
  return (
    cp === 0xad ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}
// Pinyin readings that web copies put after characters: 客戶(hù), 問(wèn)題. Only lower-case latin with a
// tone mark, right after a Han character, so real parentheses are left alone.
const PINYIN_READING = new RegExp(`(?<=[${HAN_RANGES}])\\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\\)`, 'gu');

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
  if (isInvisible(cp)) return '';
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

/** Growable UTF-16 output with, for each unit, the original character it came from. */
class Output {
  length = 0;
  codes: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(code: number, start: number, end: number): void {
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length] = code;
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  private grow(): void {
    const size = this.codes.length * 2 + 16;
    const codes = new Uint16Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    codes.set(this.codes);
    starts.set(this.starts);
    ends.set(this.ends);
    Object.assign(this, { codes, starts, ends });
  }

  reset(capacity: number): this {
    this.length = 0;
    if (this.codes.length < capacity) Object.assign(this, { codes: new Uint16Array(capacity), starts: new Int32Array(capacity), ends: new Int32Array(capacity) });
    return this;
  }

  text(): string {
    // Exact for any UTF-16, lone surrogates included (a TextDecoder would replace them).
    if (this.length <= 8192) return String.fromCharCode.apply(null, this.codes.subarray(0, this.length) as unknown as number[]);
    const parts: string[] = [];
    for (let i = 0; i < this.length; i += 8192) {
      parts.push(String.fromCharCode.apply(null, this.codes.subarray(i, Math.min(this.length, i + 8192)) as unknown as number[]));
    }
    return parts.join('');
  }
}

// Short texts (a draft, a rule phrase) reuse one buffer; a long one gets its own, kept as the result.
const SHORT = 1 << 16;
const scratch = new Output(1024);

/** The canonical form of `original` without the offset map (rule phrases and words). */
export function normalizedText(original: string): string {
  return pass(original).text();
}

export function normalize(original: string): Normalized {
  const out = pass(original);
  if (out !== scratch) return { original, text: out.text(), origStart: out.starts.subarray(0, out.length), origEnd: out.ends.subarray(0, out.length) };
  return new ShortNormalized(original, out.text());
}

/**
 * A short text's normalization. Its offset map is made when first asked for, by a second pass: most
 * replies have no finding and never need it, and two typed arrays per reply (memory outside the
 * heap, freed only by a collection) were a good part of what a big audit held.
 */
class ShortNormalized implements Normalized {
  private map: { starts: Int32Array; ends: Int32Array } | undefined;
  constructor(
    readonly original: string,
    readonly text: string,
  ) {}

  private offsets(): { starts: Int32Array; ends: Int32Array } {
    if (!this.map) {
      const out = pass(this.original);
      this.map = { starts: out.starts.slice(0, out.length), ends: out.ends.slice(0, out.length) };
    }
    return this.map;
  }

  get origStart(): Int32Array {
    return this.offsets().starts;
  }

  get origEnd(): Int32Array {
    return this.offsets().ends;
  }
}

/** One pass, straight into typed arrays: this runs over every character of every text linted. */
function pass(original: string): Output {
  const out = original.length < SHORT ? scratch.reset(original.length + 16) : new Output(original.length + 16);
  const skip = pinyinRanges(original);
  let skipIdx = 0;
  let lastWasSpace = false;
  for (let i = 0; i < original.length; ) {
    const range = skip[skipIdx];
    if (range && i >= range[0]) {
      i = range[1];
      skipIdx++;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    // The common cases, without building a string for the character: ASCII, full-width ASCII, spaces, and
    // characters that map to one BMP character (most CJK).
    let code = -1;
    if (cp < 0x80) code = cp;
    else if (cp >= 0xff01 && cp <= 0xff5e) code = cp - 0xfee0;
    else if (cp === 0x3000) code = 0x20;
    else if (isInvisible(cp)) {
      i += width;
      continue;
    } else if (!isCompatibilityForm(cp)) {
      const s = simplifiedCodePoint(cp);
      if (s <= 0xffff && width === 1) code = s;
    }
    if (code >= 0) {
      // Runs of spaces and tabs fold to one space; line breaks are kept (they end sentences).
      const isSpace = code === 0x20 || code === 0x09;
      if (!(isSpace && lastWasSpace)) out.push(isSpace ? 0x20 : code, i, i + width);
      lastWasSpace = isSpace;
      i += width;
      continue;
    }
    let piece = canonical(cp, original.slice(i, i + width));
    const isSpace = piece === ' ' || piece === '\t';
    if (isSpace) {
      if (lastWasSpace) piece = '';
      else piece = ' ';
    }
    if (piece !== '') lastWasSpace = isSpace;
    for (let k = 0; k < piece.length; k++) out.push(piece.charCodeAt(k), i, i + width);
    i += width;
  }
  return out;
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
