// Text or bytes → records, streaming. The main thread only frames records here (cheap); parsing the
// fields (csv-parse, JSON.parse) happens in the workers (see records.ts), so it runs in parallel. In
// UTF-8, GB18030 and Big5 the records are found in the bytes (jsonlBlocks, csvBlocks) and decoded by the
// thread that lints them. JSON lines in other encodings (UTF-16) are decoded first and framed as text
// (jsonlRecords); CSV/TSV in them is decoded and re-encoded as UTF-8 (utf8Chunks), so that there is only
// one CSV framing.
//
// CSV/TSV framing follows RFC 4180: a record ends at a line break (CRLF, LF, or a lone CR as old Mac
// exports have) outside a quoted field. A quote that never closes would swallow the rest of the file, so
// a record is cut after MAX_RECORD_BYTES and marked `unterminated`: the worker then parses its lines one
// by one, and the good rows after a broken one are still audited.

export type InputFormat = 'csv' | 'tsv' | 'jsonl' | 'json';
export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'tsv', 'jsonl', 'json'];

/**
 * How long a quoted field may go on before its quote is taken as one that never closes: a byte count, not
 * a line count, since a valid field may hold thousands of short lines.
 */
export const MAX_RECORD_BYTES = 4 << 20;

export interface FramedRecord {
  /** 1-based line where the record starts; for JSON arrays, the item number. */
  line: number;
  /** JSONL: the line. */
  text?: string;
  /** JSON arrays: the parsed item. */
  value?: unknown;
  /** JSON arrays: why the item could not be parsed (where, and what). */
  error?: string;
}

/** The format from a file name (without .gz), or undefined when the name does not say. */
export function formatFromName(name: string): InputFormat | undefined {
  const m = /\.([a-z]+)$/i.exec(name);
  switch (m?.[1]?.toLowerCase()) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    case 'json':
      return 'json';
    default:
      return undefined;
  }
}

/** The format from the first text of an input: `[` a JSON array, `{` JSON lines, a tab in line 1 TSV, else CSV. */
export function sniffFormat(head: string): InputFormat {
  const start = head.replace(/^[\s\uFEFF]+/, '');
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'jsonl';
  const firstLine = start.split(/\r\n?|\n/, 1)[0] ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
}

/**
 * Physical lines, split at \n (a \r before it stays on the line), a decoded chunk's worth at a time:
 * `first` is the 1-based number of the first. Per chunk, not per line: an await per line was most of
 * what reading cost. (JSON lines only: CSV/TSV is framed by csvBlocks.)
 */
export async function* lines(text: AsyncIterable<string>): AsyncGenerator<{ first: number; texts: string[] }> {
  let carry = '';
  let line = 0;
  for await (const chunk of text) {
    let buf = carry + chunk;
    let at = 0;
    const texts: string[] = [];
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', at)) {
      texts.push(buf.slice(at, nl));
      at = nl + 1;
    }
    carry = buf.slice(at);
    buf = '';
    if (texts.length) {
      yield { first: line + 1, texts };
      line += texts.length;
    }
  }
  if (carry.length > 0) yield { first: line + 1, texts: [carry] };
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** Lexer state at a line break: does the record go on (a quoted field is open)? */
const enum Quote {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the field's end, or the first half of "". */
  QuoteInQuoted,
}

/**
 * The quote state after the line `[from, to)` read by `codeAt` (a string's char codes, or the bytes of a
 * line-splittable encoding, whose quote, comma and tab bytes are never part of another character), starting
 * in `state`. Only a quote at the start of a field opens a quoted field: a stray quote inside an unquoted
 * one (`bad "quote"`) does not, so it breaks only its own row (csv-parse reports it) and not the framing of
 * the rows after it.
 */
function quoteStateAfter(codeAt: (i: number) => number, from: number, to: number, state: Quote, delimiter: number): Quote {
  for (let i = from; i < to; i++) {
    const c = codeAt(i);
    switch (state) {
      case Quote.FieldStart:
        state = c === QUOTE ? Quote.Quoted : c === delimiter ? Quote.FieldStart : Quote.Unquoted;
        break;
      case Quote.Unquoted:
        if (c === delimiter) state = Quote.FieldStart;
        break;
      case Quote.Quoted:
        if (c === QUOTE) state = Quote.QuoteInQuoted;
        break;
      case Quote.QuoteInQuoted:
        state = c === QUOTE ? Quote.Quoted : c === delimiter ? Quote.FieldStart : Quote.Unquoted;
        break;
    }
  }
  return lineEnd(state);
}

const QUOTE = 0x22;

/** The state at the end of a line: a quoted field stays open, anything else ends with it. */
function lineEnd(state: Quote): Quote {
  return state === Quote.Quoted ? Quote.Quoted : Quote.FieldStart;
}

/** JSON lines: every line is a record, blank ones included (they are reported as skipped). */
export async function* jsonlRecords(text: AsyncIterable<string>): AsyncGenerator<FramedRecord[]> {
  for await (const { first, texts } of lines(text)) yield texts.map((l, k) => ({ line: first + k, text: stripCr(l) }));
}

/** A run of whole JSON lines as undecoded bytes, for a worker to decode, parse and lint. */
export interface LineBlock {
  /** 1-based number of the block's first line. */
  first: number;
  /** How many lines (records) the block holds. */
  count: number;
  /** The lines, each ending in a line feed except perhaps the input's last; shareable between threads. */
  bytes: Uint8Array;
}

const LF = 0x0a;

/**
 * JSON lines of a line-splittable encoding (decode.ts isLineSplittable) cut into blocks of whole lines
 * before decoding: blocks of up to `maxLines` lines or about `maxBytes` bytes (more for one long line).
 * The main thread only looks for line feeds; decoding and everything after it happen where the block is
 * linted. The same records as jsonlRecords: every line, blank ones included; a last line without a line
 * feed when it is not empty.
 */
export async function* jsonlBlocks(bytes: AsyncIterable<Uint8Array>, maxLines: number, maxBytes: number, live = false): AsyncGenerator<LineBlock> {
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  /** Bytes of `parts` up to and with the last line feed: the whole lines. */
  let wholeBytes = 0;
  let count = 0;
  let line = 1;
  /** The first `size` bytes of `parts` as a block of `count` lines. */
  const cut = (size: number): LineBlock => {
    // A SharedArrayBuffer: the worker reads it in place, and the main thread can still lint it itself
    // should the worker fail (a transferred buffer would be gone).
    const block = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    for (const p of parts) {
      if (at + p.length > size) {
        block.set(p.subarray(0, size - at), at);
        break;
      }
      block.set(p, at);
      at += p.length;
    }
    const out = { first: line, count, bytes: block };
    line += count;
    parts = [];
    partBytes = wholeBytes = count = 0;
    return out;
  };
  try {
    for await (const chunk of bytes) {
      let from = 0;
      let lastLf = -1;
      for (let nl = chunk.indexOf(LF); nl >= 0; nl = chunk.indexOf(LF, nl + 1)) {
        count++;
        wholeBytes = partBytes + (nl + 1 - from);
        lastLf = nl;
        if (count >= maxLines || wholeBytes >= maxBytes) {
          parts.push(chunk.subarray(from, nl + 1));
          partBytes = wholeBytes;
          from = nl + 1;
          yield cut(wholeBytes);
        }
      }
      // live: the whole lines of each chunk are a block at once (input written as it comes, a line at a time).
      if (live && lastLf >= from) {
        parts.push(chunk.subarray(from, lastLf + 1));
        partBytes = wholeBytes;
        from = lastLf + 1;
        yield cut(wholeBytes);
      }
      if (from < chunk.length) {
        parts.push(chunk.subarray(from));
        partBytes += chunk.length - from;
      }
    }
  } catch (e) {
    // The input broke off (a truncated .gz): its whole lines are still records; the broken one is not.
    if (wholeBytes > 0) yield cut(wholeBytes);
    throw e;
  }
  // The lines after the last cut, and a last line without a line feed.
  if (partBytes > 0) {
    if (partBytes > wholeBytes) count++;
    yield cut(partBytes);
  }
}

/** CSV/TSV records of a line-splittable encoding, found in the bytes (offsets into `bytes`). */
export interface RecordBlock {
  bytes: Uint8Array;
  /** Each record's first byte, the end of its last line (before its line break), and its first line. */
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;
  /** 1 where the quotes did not balance before the end of the input or MAX_RECORD_BYTES. */
  unterminated: Uint8Array;
}

const CR = 0x0d;

/**
 * CSV/TSV records framed in the bytes: a record ends at a line break (CRLF, LF or a lone CR) outside a
 * quoted field; empty lines are no records; a record is given up on (unterminated) after MAX_RECORD_BYTES.
 * In blocks of up to `maxRecords` records or about `maxBytes` bytes cut between records. Only for
 * line-splittable encodings (decode.ts isLineSplittable), whose CR, LF, quote, comma and tab bytes are
 * never part of another character. Lines are counted as an editor counts them (a lone CR ends one too).
 * The header is the first block's first record.
 */
export async function* csvBlocks(bytes: AsyncIterable<Uint8Array>, delimiter: string, maxRecords: number, maxBytes: number, live = false): AsyncGenerator<RecordBlock> {
  const delimiterCode = delimiter.charCodeAt(0);
  /** Bytes not yet in a block, and where in them the next line starts. */
  let buf = new Uint8Array(0);
  let scan = 0;
  let line = 1;
  let state = Quote.FieldStart;
  /** The record being read: where it starts (-1: none), its first line. */
  let recordStart = -1;
  let recordLine = 0;
  /** Where the record's last line so far ends (before its line break). */
  let recordEnd = 0;
  let start: number[] = [];
  let end: number[] = [];
  let lines: number[] = [];
  let unterminated: number[] = [];
  /**
   * The first quote, CR and LF in buf at or after the last line searched (buf.length: none before its end;
   * -1: not known). One search serves every line up to them, so a file without quotes or without CRs costs
   * no rescan per line (and a CR-only file none for the LF it never has).
   */
  let nextQuote = -1;
  let nextCr = -1;
  let nextLf = -1;
  const codeAt = (i: number) => buf[i]!;
  const find = (byte: number, known: number) => {
    if (known >= scan) return known;
    const at = buf.indexOf(byte, scan);
    return at < 0 ? buf.length : at;
  };

  const record = (to: number, broken: boolean) => {
    start.push(recordStart);
    end.push(to);
    lines.push(recordLine);
    unterminated.push(broken ? 1 : 0);
    recordStart = -1;
  };
  /** The line [from, to) of buf, without its line break. */
  const onLine = (from: number, to: number) => {
    if (recordStart < 0) {
      if (to === from) return; // an empty line between records
      recordStart = from;
      recordLine = line;
    }
    if (nextQuote < from) {
      const q = buf.indexOf(QUOTE, from);
      nextQuote = q < 0 ? buf.length : q;
    }
    state = nextQuote < to ? quoteStateAfter(codeAt, from, to, state, delimiterCode) : lineEnd(state);
    recordEnd = to;
    if (state !== Quote.Quoted) record(recordEnd, false);
    else if (to - recordStart >= MAX_RECORD_BYTES) {
      record(recordEnd, true);
      state = Quote.FieldStart;
    }
  };
  /** The records found so far, as a block of buf's first `size` bytes. */
  const cut = (size: number): RecordBlock => {
    const block = new Uint8Array(new SharedArrayBuffer(size));
    block.set(buf.subarray(0, size));
    const out: RecordBlock = { bytes: block, start: Int32Array.from(start), end: Int32Array.from(end), line: Int32Array.from(lines), unterminated: Uint8Array.from(unterminated) };
    buf = buf.subarray(size);
    scan -= size;
    const shift = (at: number) => (at >= size ? at - size : -1);
    nextQuote = shift(nextQuote);
    nextCr = shift(nextCr);
    nextLf = shift(nextLf);
    start = [];
    end = [];
    lines = [];
    unterminated = [];
    return out;
  };
  /**
   * Frame the lines of buf from `scan` on. `final`: the input has ended, so a CR at the very end is a line
   * break (otherwise its LF may be in the next chunk).
   */
  function* frame(final: boolean): Generator<RecordBlock> {
    for (;;) {
      nextCr = find(CR, nextCr);
      nextLf = find(LF, nextLf);
      const at = Math.min(nextCr, nextLf);
      if (at >= buf.length || (at === buf.length - 1 && at === nextCr && !final)) return;
      onLine(scan, at);
      scan = at === nextCr && buf[at + 1] === LF ? at + 2 : at + 1;
      line++;
      if (recordStart < 0 && start.length > 0 && (start.length >= maxRecords || scan >= maxBytes)) yield cut(scan);
    }
  }

  try {
    for await (const chunk of bytes) {
      const joined = new Uint8Array(buf.length + chunk.length);
      joined.set(buf);
      joined.set(chunk, buf.length);
      // "None before the end" says nothing of the new bytes.
      if (nextQuote >= buf.length) nextQuote = -1;
      if (nextCr >= buf.length) nextCr = -1;
      if (nextLf >= buf.length) nextLf = -1;
      buf = joined;
      yield* frame(false);
      // live: the whole records of each chunk are a block at once.
      if (live && recordStart < 0 && start.length > 0) yield cut(scan);
    }
  } catch (e) {
    // The input broke off (a truncated .gz): the whole records are still records; the one it cut is not.
    if (start.length > 0) yield cut(recordStart >= 0 ? recordStart : scan);
    throw e;
  }
  yield* frame(true);
  if (scan < buf.length) onLine(scan, buf.length);
  if (recordStart >= 0) record(recordEnd, true);
  if (start.length > 0) yield cut(buf.length);
}

/** Decoded text as UTF-8 bytes, for csvBlocks to frame (a surrogate pair split between chunks kept whole). */
export async function* utf8Chunks(text: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  let carry = '';
  for await (const chunk of text) {
    let piece = carry + chunk;
    carry = '';
    const last = piece.charCodeAt(piece.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      carry = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    if (piece) yield Buffer.from(piece, 'utf8');
  }
  if (carry) yield Buffer.from(carry, 'utf8');
}

/** The lines of a block, decoded one by one (small strings, not slices of one big one), without \r. */
export function blockLines(bytes: Uint8Array, decode: (from: number, to: number) => string): string[] {
  const texts: string[] = [];
  // Line feeds found by Buffer's search (memchr), not the typed array's element by element.
  const search = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let from = 0;
  while (from < bytes.length) {
    let nl = search.indexOf(LF, from);
    if (nl < 0) nl = bytes.length;
    const to = nl > from && bytes[nl - 1] === CR ? nl - 1 : nl;
    texts.push(decode(from, to));
    from = nl + 1;
  }
  return texts;
}

/** The parse error in a JSON array, after the items before it. */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly item: number,
  ) {
    super(message);
    this.name = 'JsonArrayError';
  }
}

const enum ArrayState {
  /** Before the opening `[`. */
  Before,
  /** After `[`: the first item or `]`. */
  First,
  Item,
  /** After a comma: the next item. */
  Next,
  /** After the closing `]`. */
  After,
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** "Expected ',' … in JSON at position 7" → the message without the position, and the position. */
function parseErrorOf(e: unknown): { what: string; position?: number } {
  const message = (e as Error).message.replace(/\s+/g, ' ').trim();
  const m = / in JSON at position (\d+).*$/.exec(message);
  if (m) return { what: message.slice(0, m.index), position: Number(m[1]) };
  // `Unexpected token ',', "…snippet…" is not valid JSON`: the snippet, escaped and cut, helps nobody.
  return { what: message.replace(/, .* is not valid JSON$/, '') };
}

/**
 * The items of a top-level JSON array, streamed: the file is never held whole. Each item's text is found
 * by its brackets and strings, then parsed on its own, so an item that does not parse is one error record
 * (`error`, with its line and column) and the items around it are still read. Where the brackets
 * themselves are broken (a `}` closing a `[`, a line break inside a string, the end of the file inside an
 * item) the items cannot be told apart any more: every item before it has been yielded, then
 * JsonArrayError says where (line and column) and which item. Lines are counted at LF.
 */
export async function* jsonArrayRecords(text: AsyncIterable<string>): AsyncGenerator<FramedRecord[]> {
  let state = ArrayState.Before as ArrayState; // (as: TypeScript does not see the loop change it)
  let line = 1;
  let column = 1;
  let item = 0;
  /** Inside the current item: open brackets, a string, an escape. */
  const open: number[] = [];
  let inString = false;
  let escaped = false;
  /** The current item's text from earlier chunks, and where it starts. */
  let parts: string[] = [];
  let itemLine = 0;
  let itemColumn = 0;
  const fatal = (what: string, rest = '; the rest of the file is not read') =>
    new JsonArrayError(`invalid JSON at line ${line}, column ${column} (item ${item + 1}): ${what}${rest}`, item + 1);
  /** The item whose text is `body`: its value, or an error record saying where it failed. */
  const itemRecord = (body: string): FramedRecord => {
    item++;
    try {
      return { line: item, value: JSON.parse(body) };
    } catch (e) {
      const { what, position } = parseErrorOf(e);
      let where = `the item starting at line ${itemLine}, column ${itemColumn}`;
      if (position !== undefined) {
        // The position in the item → in the file.
        const before = body.slice(0, position);
        const nl = before.lastIndexOf('\n');
        const lines = before.split('\n').length - 1;
        where = `line ${itemLine + lines}, column ${lines === 0 ? itemColumn + position : position - nl}`;
      }
      return { line: item, error: `invalid JSON in item ${item}, at ${where}: ${what}` };
    }
  };

  for await (const chunk of text) {
    const out: FramedRecord[] = [];
    /** Where the current item starts in this chunk (0 when it began in an earlier one). */
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (state === ArrayState.Before) {
        if (c === 0x5b) state = ArrayState.First;
        else if (!isJsonSpace(c) && c !== 0xfeff) {
          if (out.length) yield out;
          throw fatal(`not a JSON array (it starts with '${chunk[i]}')`);
        }
      } else if (state === ArrayState.After) {
        if (!isJsonSpace(c)) {
          if (out.length) yield out;
          throw fatal("text after the array's closing ']'");
        }
      } else if (state !== ArrayState.Item && isJsonSpace(c)) {
        // between items
      } else if (state === ArrayState.First && c === 0x5d) {
        state = ArrayState.After;
      } else if (state !== ArrayState.Item && (c === 0x5d || c === 0x2c)) {
        if (out.length) yield out;
        throw fatal(c === 0x5d ? "a comma before ']'" : 'an empty item (two commas)');
      } else {
        if (state !== ArrayState.Item) {
          // The item's first character.
          state = ArrayState.Item;
          from = i;
          itemLine = line;
          itemColumn = column;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          else if (c === 0x0a || c === 0x0d) {
            if (out.length) yield out;
            throw fatal('a line break inside a string (a string that does not end?)');
          }
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) open.push(c);
        else if (c === 0x7d || c === 0x5d) {
          if (open.length > 0) {
            const opener = open.pop()!;
            if (opener !== (c === 0x7d ? 0x7b : 0x5b)) {
              if (out.length) yield out;
              throw fatal(`'${chunk[i]}' closes a '${String.fromCharCode(opener)}'`);
            }
          } else if (c === 0x7d) {
            if (out.length) yield out;
            throw fatal("'}' without a '{'");
          } else {
            // The array's closing bracket ends the last item.
            out.push(itemRecord(parts.join('') + chunk.slice(from, i)));
            parts = [];
            state = ArrayState.After;
          }
        } else if (c === 0x2c && open.length === 0) {
          out.push(itemRecord(parts.join('') + chunk.slice(from, i)));
          parts = [];
          state = ArrayState.Next;
        }
      }
      if (c === 0x0a) {
        line++;
        column = 1;
      } else column++;
    }
    if (state === ArrayState.Item) parts.push(chunk.slice(from));
    if (out.length) yield out;
  }
  if (state === ArrayState.Item && open.length === 0 && !inString && parts.join('').trim() !== '') {
    // Only the closing bracket is missing (a cut-off export): the last item is whole.
    yield [itemRecord(parts.join(''))];
    throw fatal("the array's closing ']' is missing", '');
  }
  // (An empty file, as an empty CSV, is no rows at all.)
  if (state !== ArrayState.After && state !== ArrayState.Before) {
    throw fatal(state === ArrayState.Item ? 'the file ends inside an item' : "the file ends before the array's closing ']'");
  }
}

/** The records of a JSON input framed as text, in arrays: reading awaits once per array, not once per record. */
export function framedRecords(format: 'jsonl' | 'json', text: AsyncIterable<string>): AsyncGenerator<FramedRecord[]> {
  return format === 'jsonl' ? jsonlRecords(text) : jsonArrayRecords(text);
}
