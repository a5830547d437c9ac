// Writing drafts back to disk without ever leaving a half-written file: the new content goes to a
// temporary file in the same directory, is fsynced, given the original's mode, and renamed over the
// original (rename is atomic within one file system). Right before the rename the original is checked
// against what was read, so an edit made in an editor meanwhile is never overwritten.
//
// Also: encodeText, the inverse of decodeBytes in files.ts (BOM and UTF-16 byte order kept).
import { createHash, randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, open, readFile, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Encoding } from './files.js';
import { READ_LIMITS, readRegularFile } from './read-limited.js';

/** What a file looked like when it was read: compared again right before it is replaced. */
export interface FileSnapshot {
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes, hex. */
  hash: string;
}

/** The file was changed (or removed) on disk after it was read: it was not overwritten. */
export class ChangedOnDiskError extends Error {
  constructor(readonly path: string) {
    super(`${path}: changed on disk since it was read; not overwritten (run again on the new version)`);
    this.name = 'ChangedOnDiskError';
  }
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Read a file and remember its size, mtime and hash. */
export async function readWithSnapshot(path: string): Promise<{ bytes: Buffer; snapshot: FileSnapshot }> {
  const bytes = readRegularFile(path, READ_LIMITS.inputBytes); // not a FIFO or /dev/zero: see read-limited.ts
  const info = await stat(path);
  return { bytes, snapshot: { size: info.size, mtimeMs: info.mtimeMs, hash: sha256(bytes) } };
}

/** Text → bytes in the encoding it was read in (BOM included). */
export function encodeText(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': {
      const body = Buffer.from(text, 'utf16le');
      body.swap16();
      return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
    }
  }
}

export interface AtomicWriteOptions {
  /** Refuse (ChangedOnDiskError) unless the file still matches this snapshot right before the rename. */
  expect?: FileSnapshot;
  /** Also keep the file's current bytes at this path (written atomically too, before the swap). */
  backupPath?: string;
  /** Mode of a file that does not exist yet (default 0o666 less the umask). */
  mode?: number;
}

/** Name of the temporary file: hidden, next to the target, recognisable if a crash leaves it behind. */
export function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.huashu-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

// Temporary files not yet renamed or removed. Ctrl-C or a kill in the middle of a write would leave
// them behind: on SIGINT/SIGTERM they are removed, then the process exits with 128 + the signal number,
// the status a shell reports for a process the signal ended (130, 143).
const pendingTemps = new Set<string>();
let signalsHooked = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const temp of pendingTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  pendingTemps.clear();
  process.exit(128 + (constants.signals[signal] ?? 1));
}

function trackTemp(temp: string): void {
  pendingTemps.add(temp);
  if (!signalsHooked) {
    signalsHooked = true;
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  }
}

/** Done with a temporary file: with none left, signals get their default action again. */
function untrackTemp(temp: string): void {
  pendingTemps.delete(temp);
  if (pendingTemps.size === 0 && signalsHooked) {
    signalsHooked = false;
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Best effort: make the rename itself durable. Not every platform lets a directory be fsynced. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // e.g. EISDIR/EPERM on Windows: the data itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Is the file at `path` still the one read (size, mtime, then the hash of its bytes)? */
export async function matchesSnapshot(path: string, expected: FileSnapshot): Promise<boolean> {
  try {
    const info = await stat(path);
    if (info.size !== expected.size || info.mtimeMs !== expected.mtimeMs) return false;
    return sha256(await readFile(path)) === expected.hash;
  } catch {
    return false;
  }
}

/**
 * A file being written under a temporary name next to its target, which it replaces only on `commit`
 * (fsync, the target's mode, rename, directory fsync); `abort` removes it. What writeFileAtomic and the
 * audit's streamed outputs are both made of.
 */
export class PendingFile {
  private constructor(
    readonly target: string,
    /** undefined: the target is written directly (a device or FIFO, see open). */
    private readonly temp: string | undefined,
    private readonly handle: FileHandle,
    private readonly mode: number | undefined,
  ) {}

  /** Opens the temporary file at once, so a target that cannot be written is known before any work. */
  static async open(target: string, mode?: number): Promise<PendingFile> {
    // A device or FIFO (/dev/stdout, /dev/null, a named pipe) is written to, never renamed over: as root,
    // a rename replaced /dev/zero itself with a regular file.
    const info = await stat(target).catch(() => undefined);
    if (info && !info.isFile() && !info.isDirectory()) return new PendingFile(target, undefined, await open(target, 'w'), undefined);
    const temp = tempPath(target);
    const handle = await open(temp, 'wx', mode ?? 0o666);
    trackTemp(temp);
    return new PendingFile(target, temp, handle, mode);
  }

  private finished = false;

  async write(data: Uint8Array | string): Promise<void> {
    await (typeof data === 'string' ? this.handle.write(data, null, 'utf8') : this.handle.write(data));
  }

  /**
   * Everything but the rename: the mode, fsync, close. Separate so that a set of files can all get this far
   * (where a full disk shows) before any of them replaces its target.
   */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      // open() applies the umask: set the mode the original had exactly.
      if (this.mode !== undefined) await this.handle.chmod(this.mode);
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /**
   * `beforeRename`: a last check that may throw (the temporary file is then removed). `exclusive`: never
   * replace a file that exists (EEXIST instead): the temporary file is hard-linked to the target.
   */
  async commit(beforeRename?: () => Promise<void>, { exclusive = false } = {}): Promise<void> {
    if (this.temp === undefined) return this.handle.close();
    let renamed = false;
    try {
      await this.finish();
      await beforeRename?.();
      if (exclusive) await link(this.temp, this.target);
      else {
        await rename(this.temp, this.target);
        renamed = true;
      }
    } finally {
      if (!renamed) await unlink(this.temp).catch(() => undefined);
      untrackTemp(this.temp);
    }
    await syncDirectory(dirname(this.target));
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    if (this.temp === undefined) return;
    await unlink(this.temp).catch(() => undefined);
    untrackTemp(this.temp);
  }
}

/** temp file + fsync + chmod + (check) + rename; the temp file is removed if anything fails. */
async function replaceAtomically(
  target: string,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  mode: number | undefined,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const file = await PendingFile.open(target, mode);
  try {
    if (data instanceof Uint8Array) await file.write(data);
    else for await (const chunk of data) await file.write(chunk);
  } catch (e) {
    await file.abort();
    throw e;
  }
  await file.commit(beforeRename);
}

/**
 * The real path and mode of the file at `path`, or of a new one (ENOENT: the path itself, no mode). Only a
 * regular file can be replaced: renaming over a directory fails late, and over a device or a FIFO (as root)
 * would put a regular file in its place.
 */
export async function targetOf(path: string): Promise<{ target: string; mode: number | undefined }> {
  try {
    const target = await realpath(path);
    const info = await stat(target);
    if (!info.isFile()) throw Object.assign(new Error(info.isDirectory() ? 'is a directory' : 'not a regular file'), { code: info.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    return { target, mode: info.mode & 0o7777 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { target: path, mode: undefined };
  }
}

/**
 * Replace the file at `path` with `data`, atomically: readers see the old or the new content, never a
 * mix, and a crash leaves the old file (and perhaps a stray `.name.huashu-*.tmp`). A symbolic link is
 * followed, so the link stays a link. The file's mode is kept.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  let resolved;
  try {
    resolved = await targetOf(path);
  } catch (e) {
    if (options.expect) throw new ChangedOnDiskError(path);
    throw e;
  }
  // A file that was read must still be there.
  if (resolved.mode === undefined && options.expect) throw new ChangedOnDiskError(path);
  const { target } = resolved;
  const mode = resolved.mode ?? options.mode;
  const check = async () => {
    if (options.expect && !(await matchesSnapshot(target, options.expect))) throw new ChangedOnDiskError(path);
  };
  if (options.backupPath !== undefined) {
    await check();
    await replaceAtomically(options.backupPath, await readFile(target), mode);
  }
  await replaceAtomically(target, data, mode, check);
}
