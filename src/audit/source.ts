// Where an export's bytes come from: a file or standard input, gunzipped when it starts with the gzip
// magic bytes (whatever its name), with a running count of the bytes read for progress and ETA.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

export const STDIN_NAME = '<stdin>';

/** The input could not be read to its end (a truncated gzip file, an I/O error). */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly code: 'truncated-gzip' | 'read-error',
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface Source {
  /** As the user named it, or `<stdin>`. */
  name: string;
  /** Size on disk in bytes (compressed size for .gz); undefined for stdin and pipes. */
  size?: number;
  /** Was the input gzip-compressed? Known once reading has started. */
  gzip: boolean;
  /** Bytes read so far from disk or the pipe (before decompression). */
  bytesRead: number;
  /** The (decompressed) bytes. Throws SourceError when the input breaks off. */
  bytes(): AsyncGenerator<Uint8Array>;
}

/** A name without its .gz suffix: the format is judged from what is inside. */
export function innerName(name: string): string {
  return name.replace(/\.gz$/i, '');
}

export async function openSource(name: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Source> {
  const isStdin = name === STDIN_NAME;
  let size: number | undefined;
  if (!isStdin) {
    const info = await stat(name); // throws ENOENT & co. for the caller to report
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // /dev/zero would stream forever and a FIFO blocks until a writer comes: pipes go through stdin.
    if (!info.isFile()) throw Object.assign(new Error('not a regular file (a FIFO, device or socket): pipe it in as - (standard input)'), { code: 'ENOTREG' });
    size = info.size;
  }
  const source: Source = {
    name,
    size,
    gzip: false,
    bytesRead: 0,
    async *bytes() {
      const raw: AsyncIterable<Uint8Array> = isStdin ? (stdin as AsyncIterable<Uint8Array>) : createReadStream(name, { highWaterMark: 256 * 1024 });
      const counted = (async function* () {
        try {
          for await (const chunk of raw) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            source.bytesRead += buf.byteLength;
            yield buf;
          }
        } catch (e) {
          throw new SourceError(`read error: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'read-error');
        }
      })();
      const first = await counted.next();
      if (first.done) return;
      const head = first.value;
      if (head[0] !== 0x1f || head[1] !== 0x8b) {
        yield head;
        yield* counted;
        return;
      }
      source.gzip = true;
      const compressed = Readable.from(
        (async function* () {
          yield head;
          yield* counted;
        })(),
      );
      // pipeline() passes a read error on to the gunzip stream, which pipe() would not.
      const gunzip = pipeline(compressed, createGunzip(), () => {});
      try {
        for await (const chunk of gunzip) yield chunk as Buffer;
      } catch (e) {
        if (e instanceof SourceError) throw e;
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
          throw new SourceError('truncated gzip data (unexpected end of file): the rest of the file is lost', 'truncated-gzip');
        }
        if (err.code?.startsWith('Z_')) throw new SourceError(`corrupt gzip data (${err.message})`, 'truncated-gzip');
        throw new SourceError(`read error: ${err.code ?? err.message}`, 'read-error');
      }
    },
  };
  return source;
}
