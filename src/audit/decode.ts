// Bytes → text for transcript exports: detect the encoding from a sample (BOM first, then heuristics),
// or take the one named with --encoding, and decode the stream with iconv-lite.
//
// Undecodable bytes become U+FFFD, as every standard decoder does; a row with such a U+FFFD is then
// reported as an error row ("undecodable bytes") instead of being audited. Where a row's bytes are at
// hand (records framed in the bytes), a U+FFFD that is really in the text (valid UTF-8 EF BF BD) is not
// taken for one.
import iconv from 'iconv-lite';
import { firstInvalidUtf8 } from '../inputs/files.js';

/** How many leading bytes the heuristics look at. */
export const SAMPLE_BYTES = 64 * 1024;

export interface DetectedEncoding {
  /** An iconv-lite encoding name: utf-8, utf-16le, utf-16be, gb18030, big5, … */
  encoding: string;
  /** Why: a byte order mark, the --encoding option, or a guess from the content. */
  how: 'bom' | 'option' | 'detected';
}

const PROBE = 'a,"\n\tZ';
const PROBE_FORMS = [Buffer.from(PROBE, 'latin1'), Buffer.from(PROBE, 'utf16le'), Buffer.from(PROBE, 'utf16le').swap16()];

/** Is `name` an encoding iconv-lite knows? (its names and aliases: gbk, gb18030, big5, utf-16le, …) */
export function isKnownEncoding(name: string): boolean {
  return iconv.encodingExists(name);
}

/**
 * Can an export be in this (known) encoding? It must write ASCII as ASCII or as UTF-16: the readers find
 * commas, quotes and line breaks in those. base64, hex, UTF-32 or UTF-7 "decode" a UTF-8 export into
 * nothing the readers recognise: 0 rows and exit 0.
 */
export function isSupportedEncoding(name: string): boolean {
  let bytes = iconv.encode(PROBE, name);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) bytes = bytes.subarray(2); // utf-16 writes a BOM
  return PROBE_FORMS.some((form) => form.equals(bytes));
}

/** UTF-16 without a BOM: its ASCII characters leave NUL bytes at odd (LE) or even (BE) offsets. */
function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  // Text has no NUL bytes; UTF-16 has one in every ASCII character (delimiters, digits), on one side
  // (the other side gets one only from the rare CJK character U+xx00).
  const pairs = n / 2;
  const enough = Math.max(3, pairs * 0.02);
  if (oddNul >= enough && evenNul <= oddNul / 4) return 'utf-16le';
  if (evenNul >= enough && oddNul <= evenNul / 4) return 'utf-16be';
  return undefined;
}

/** Well-formed multi-byte UTF-8 sequences, and bytes that start no well-formed sequence. */
export function utf8Sequences(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const bad = firstInvalidUtf8(bytes.subarray(i, i + 4));
    if (bad === 0) {
      invalid++;
      i++;
      continue;
    }
    const b = bytes[i]!;
    i += b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    valid++;
  }
  return { valid, invalid };
}

function replacementCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/**
 * GB18030/GBK or Big5? Both are double-byte encodings over the same byte ranges. Text that decodes
 * cleanly in only one of them settles it. Otherwise look at trail bytes: the common GB2312 characters
 * have both bytes in A1–FE, while about half of the common Big5 characters have a trail byte in 40–7E.
 */
function chineseDoubleByte(sample: Uint8Array, complete: boolean): 'gb18030' | 'big5' {
  // Cut a possibly split character off the end of an incomplete sample.
  const body = complete ? sample : sample.subarray(0, Math.max(0, sample.length - 4));
  const gbBad = replacementCount(iconv.decode(Buffer.from(body), 'gb18030'));
  const big5Bad = replacementCount(iconv.decode(Buffer.from(body), 'big5'));
  if (gbBad === 0 && big5Bad > 0) return 'gb18030';
  if (big5Bad === 0 && gbBad > 0) return 'big5';
  let pairs = 0;
  let lowTrail = 0;
  for (let i = 0; i + 1 < body.length; i++) {
    const b = body[i]!;
    if (b < 0x81 || b === 0xff) continue;
    const t = body[i + 1]!;
    if (t >= 0x30 && t <= 0x39) return 'gb18030'; // a GB18030 four-byte sequence; Big5 has no such trail byte
    pairs++;
    if (t >= 0x40 && t <= 0x7e) lowTrail++;
    i++;
  }
  return pairs > 0 && lowTrail / pairs > 0.15 ? 'big5' : 'gb18030';
}

/** Guess the encoding of an export from its first bytes. `complete`: the sample is the whole input. */
export function detectEncoding(sample: Uint8Array, complete: boolean): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', how: 'bom' };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', how: 'bom' };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', how: 'bom' };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, how: 'detected' };
  // A multi-byte character cut by the end of the sample is not a reason to doubt UTF-8.
  const { valid, invalid } = utf8Sequences(complete ? sample : sample.subarray(0, Math.max(0, sample.length - 3)));
  // A UTF-8 export with a few damaged bytes is still UTF-8 (its bad rows are reported): GBK or Big5
  // text read as UTF-8 is mostly invalid.
  if (invalid === 0 || valid >= 10 * invalid) return { encoding: 'utf-8', how: 'detected' };
  return { encoding: chineseDoubleByte(sample, complete), how: 'detected' };
}

interface StreamDecoder {
  write(bytes: Buffer): string;
  end(): string | undefined;
}

/** iconv-lite, except for UTF-8 where the built-in TextDecoder is faster (same U+FFFD, BOM dropped too). */
function decoderFor(encoding: string): StreamDecoder {
  if (isUtf8(encoding)) {
    const td = new TextDecoder('utf-8');
    return { write: (bytes) => td.decode(bytes, { stream: true }), end: () => td.decode() };
  }
  return iconv.getDecoder(encoding, { stripBOM: true });
}

const isUtf8 = (encoding: string) => /^utf-?8$/i.test(encoding);

/**
 * Encodings in which a 0x0A byte is always a line feed, never a part of another character: UTF-8 (every
 * byte of a multi-byte character is ≥ 0x80) and the Chinese double-byte ones (trail bytes are ≥ 0x30).
 * Their bytes can be cut into lines before they are decoded; UTF-16's cannot.
 */
export function isLineSplittable(encoding: string): boolean {
  return isUtf8(encoding) || /^(gb18030|gbk|gb2312|cp936|big5|big5hkscs|cp950)$/i.test(encoding);
}

/** One piece of text in `encoding` that holds whole characters (a line of a line-splittable encoding). */
export function decodeBytes(bytes: Uint8Array, encoding: string, from = 0, to = bytes.length): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Buffer's UTF-8 decoder replaces bad bytes with U+FFFD as TextDecoder does.
  if (isUtf8(encoding)) return buffer.toString('utf8', from, to);
  return iconv.decode(buffer.subarray(from, to), encoding, { stripBOM: false });
}

/**
 * decodeBytes for many ranges of one block (its lines or records): the Buffer over the bytes is made once,
 * not once a range.
 */
export function rangeDecoder(bytes: Uint8Array, encoding: string): (from: number, to: number) => string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(encoding)) return (from, to) => buffer.toString('utf8', from, to);
  return (from, to) => iconv.decode(buffer.subarray(from, to), encoding, { stripBOM: false });
}

/**
 * Are bytes [from, to) valid in `encoding`? Asked only of text that holds a U+FFFD: is it the character
 * itself, or a byte that did not decode? (Re-encoding gives the same bytes back only for the former.)
 */
export function decodesCleanly(bytes: Uint8Array, encoding: string, from: number, to: number): boolean {
  const part = bytes.subarray(from, to);
  if (isUtf8(encoding)) return firstInvalidUtf8(part) < 0;
  const text = iconv.decode(Buffer.from(part.buffer, part.byteOffset, part.byteLength), encoding, { stripBOM: false });
  return iconv.encode(text, encoding).equals(part);
}

/** An input's encoding, with its first bytes (what it was detected from) and all its bytes again. */
export interface SampledInput {
  detected: DetectedEncoding;
  /** The first SAMPLE_BYTES or more (what the format is sniffed from, too). */
  sample: Buffer;
  /** Every byte of the input, the sample included; throws where the input broke off. */
  bytes: AsyncGenerator<Buffer>;
}

/** Read the first SAMPLE_BYTES of a byte stream and detect its encoding from them, unless `forced`. */
export async function sampleInput(bytes: AsyncIterable<Uint8Array>, forced: string | undefined, live = false): Promise<SampledInput> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  // An input that breaks off (a truncated .gz) while the sample is read: what came is still used, then reported.
  let broken: unknown;
  try {
    while (headLength < SAMPLE_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      headLength += next.value.byteLength;
      // Input that arrives as it is written (a pipe): the first whole line is sample enough, rather than
      // waiting for 64 KB that may come only much later.
      if (live && next.value.includes(0x0a)) break;
    }
  } catch (e) {
    broken = e;
    ended = true;
  }
  const sample = Buffer.concat(head);
  // A sample that ends with a line feed cuts no character: it is judged as a whole input is.
  const detected: DetectedEncoding = forced ? { encoding: forced, how: 'option' } : detectEncoding(sample, ended || (live && sample[sample.length - 1] === 0x0a));
  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    if (broken !== undefined) throw broken;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  }
  return { detected, sample, bytes: all() };
}

/** Decode a byte stream in `encoding`, chunk by chunk (characters split between chunks are joined). A BOM is dropped. */
export async function* decodeChunks(bytes: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = decoderFor(encoding);
  // iconv-lite drops only a Unicode encoding's BOM; GB18030 has one too (84 31 95 33 → U+FEFF).
  let first = true;
  for await (const chunk of bytes) {
    let text = decoder.write(chunk);
    if (first && text) {
      first = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield first && rest.startsWith('\uFEFF') ? rest.slice(1) : rest;
}
