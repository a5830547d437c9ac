// Reading a file the user named without trusting what it is: /dev/zero never ends, open() on a FIFO
// waits for a writer forever, and files in /proc report a size of 0. So a file is opened without
// blocking, refused unless it is a regular file, and read up to a limit counted while reading (not taken
// from stat). Standard input (`-`) is the one place a pipe belongs: it gets the limit only.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Bounds on what one run reads from one file. */
export const READ_LIMITS = {
  /** A draft or template for `lint`/`fix`/`coach` (≈ 11.5 × its size in memory while linted; bench/throughput.mjs lints 100 MB). */
  inputBytes: 128 * 1024 * 1024,
  /** A config file, or an `extends` target before it is known to be a pack (PACK_LIMITS.bytes, the same). */
  configBytes: 2 * 1024 * 1024,
  /** A classifier model (the built-in ones are 150 kB). */
  modelBytes: 32 * 1024 * 1024,
} as const;

/** Not a regular file, or larger than the limit. `code` is ENOTREG or EFBIG. */
export class ReadLimitError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOTREG' | 'EFBIG',
  ) {
    super(message);
    this.name = 'ReadLimitError';
  }
}

const megabytes = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export const tooLarge = (limit: number) => new ReadLimitError(`too large (more than ${megabytes(limit)})`, 'EFBIG');

/** What a non-regular file is, for the message. */
function kindOf(info: import('node:fs').Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * The bytes of the regular file at `path`, at most `limit` of them. Throws ReadLimitError for anything
 * else (a device, FIFO, socket, directory, or more bytes than `limit`) and the fs error (ENOENT, EACCES …).
 */
export function readRegularFile(path: string, limit: number): Buffer {
  // O_NONBLOCK: opening a FIFO does not wait for a writer; it changes nothing for a regular file.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      const what = kindOf(info);
      throw new ReadLimitError(what === 'not a regular file' ? what : `not a regular file (${what})`, 'ENOTREG');
    }
    if (info.size > limit) throw tooLarge(limit);
    // The size stat gives is a hint (a growing file, /proc): read until the end, stopping past the limit.
    let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(info.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw tooLarge(limit);
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw tooLarge(limit);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** A stream (standard input) read whole, refusing more than `limit` bytes as soon as they arrive. */
export async function readStreamLimited(stream: AsyncIterable<Uint8Array | string>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    length += buf.length;
    if (length > limit) {
      (stream as { destroy?: () => void }).destroy?.();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
