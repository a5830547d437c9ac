// Rewriting a user's draft with new content (`huashu fix`), keeping everything about the file but its text:
//
// - a lock per file (`.name.huashu-lock` next to it, created with O_EXCL) is held from the read to the
//   write, so two huashu runs on the same files take turns instead of both writing what they read;
// - a file nobody may write (0444) or this user may not write is refused, not replaced;
// - the new content replaces the file atomically (temporary file, fsync, rename) with the file's owner,
//   group, mode and extended attributes carried over to the temporary file — or, where the rename would
//   lose something (several hard links, an owner that cannot be given back), is written into the file
//   itself, after a synced copy of it is kept next to it until the write is done;
// - right before the swap the file must still be as it was read (an editor's save is never overwritten).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, readFile, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ChangedOnDiskError, matchesSnapshot, readWithSnapshot, syncDirectory, tempPath, type FileSnapshot } from './write.js';

/** Another process holds the file's lock and did not let go in time. */
export class FileLockedError extends Error {
  constructor(
    readonly path: string,
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`locked by another huashu run (${holder}; ${lockPath})`);
    this.name = 'FileLockedError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const lockPathOf = (target: string) => join(dirname(target), `.${basename(target)}.huashu-lock`);

/** Is the process that wrote this lock content gone? Only known for a lock taken on this host. */
function holderIsGone(content: string): boolean {
  const [pid, host] = content.split(' ');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function isOlderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}

/**
 * Take a stale lock away: move it aside under a name of our own, and check that what was moved is the
 * stale lock read before (another run may have broken it and taken a fresh one meanwhile: that one is
 * put back).
 */
async function breakStaleLock(lockPath: string, stale: string): Promise<void> {
  const aside = `${lockPath}-stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // gone already
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== stale) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

export class FileLock {
  private constructor(
    readonly lockPath: string,
    private readonly content: string,
  ) {}

  /**
   * Lock the file at `target` (a real path) for this process, waiting up to `timeoutMs` for another run to
   * finish with it. A lock left by a process that no longer runs (killed) is broken.
   */
  static async acquire(target: string, { timeoutMs = 60_000 } = {}): Promise<FileLock> {
    const lockPath = lockPathOf(target);
    const content = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
    const deadline = Date.now() + timeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        const handle = await open(lockPath, 'wx', 0o644);
        try {
          await handle.writeFile(content);
        } finally {
          await handle.close();
        }
        return new FileLock(lockPath, content);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await readFile(lockPath, 'utf8').catch(() => '');
      // A lock being written has no content yet: wait for it, unless it has stayed empty (its run was
      // killed between creating and writing it).
      const gone = holder ? holderIsGone(holder) : await isOlderThan(lockPath, 10_000);
      if (gone) {
        await breakStaleLock(lockPath, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const [pid, host] = holder.split(' ');
        throw new FileLockedError(target, lockPath, pid ? `pid ${pid}${host && host !== hostname() ? ` on ${host}` : ''}` : 'unknown process');
      }
      await sleep(wait);
    }
  }

  /** Remove the lock, if it is still ours. */
  async release(): Promise<void> {
    const now = await readFile(this.lockPath, 'utf8').catch(() => '');
    if (now === this.content) await unlink(this.lockPath).catch(() => undefined);
  }
}

/**
 * Why the file at `target` must not be rewritten, or undefined. A file with no write permission bit at
 * all is read-only on purpose: refused even where the permission check would let us (root).
 */
export async function unwritableReason(target: string): Promise<string | undefined> {
  const info = await stat(target);
  if ((info.mode & 0o222) === 0) return `read-only file (mode ${(info.mode & 0o7777).toString(8).padStart(4, '0')}); not changed`;
  try {
    await access(target, constants.W_OK);
  } catch {
    return 'permission denied (no write permission); not changed';
  }
  return undefined;
}

/**
 * GNU cp can give a new file the owner, group, mode, timestamps, ACLs and extended attributes of another
 * (`--attributes-only`): Node has no call for extended attributes. false where there is no such cp.
 */
function copyAttributes(from: string, to: string): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile('cp', ['--attributes-only', '--preserve=all', '--no-dereference', '--', from, to], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

/** How the content went in: `renamed` over the file (atomic), or `in-place` into the file itself. */
export type RewriteMethod = 'renamed' | 'in-place';

/**
 * Write `data` over the file at `target` (a real path, locked by the caller) unless it changed since it
 * was read (`expect`): ChangedOnDiskError. Owner, group, mode, extended attributes and hard links stay.
 */
export async function rewriteFile(target: string, data: Uint8Array, expect: FileSnapshot): Promise<RewriteMethod> {
  const info = await stat(target);
  const check = async () => {
    if (!(await matchesSnapshot(target, expect))) throw new ChangedOnDiskError(target);
  };
  // A rename gives the name a new inode: the other names of a hard-linked file would keep the old text.
  if (info.nlink > 1) return writeInPlace(target, data, check);

  const temp = tempPath(target);
  // cp makes the temporary file with the target's attributes; without it, mode and owner are set here.
  const copied = await copyAttributes(target, temp);
  let handle: FileHandle | undefined;
  let ownerKept: boolean;
  try {
    if (copied) handle = await open(temp, constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
    else {
      handle = await open(temp, 'wx', 0o600);
      await handle.chown(info.uid, info.gid).catch(() => undefined); // only root may give a file away
      await handle.chmod(info.mode & 0o7777); // after chown, which may clear set-id bits
    }
    const made = await handle.stat();
    ownerKept = made.uid === info.uid && made.gid === info.gid;
    if (ownerKept) {
      await handle.writeFile(data);
      await handle.sync();
    }
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  if (!ownerKept) {
    // Someone else's file this user may write: renaming our file over it would make it ours.
    await unlink(temp).catch(() => undefined);
    return writeInPlace(target, data, check);
  }
  try {
    await check();
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(target));
  return 'renamed';
}

/**
 * Overwrite the file's own bytes (same inode: links, owner and attributes untouched). Not atomic, so the
 * new content is first kept, synced, in a temporary file next to it: if the write is cut short, the
 * whole new text is there (`.name.huashu-*.tmp`).
 */
async function writeInPlace(target: string, data: Uint8Array, check: () => Promise<void>): Promise<RewriteMethod> {
  const copyPath = tempPath(target);
  try {
    const copy = await open(copyPath, 'wx', 0o600);
    try {
      await copy.writeFile(data);
      await copy.sync();
    } finally {
      await copy.close();
    }
    await check();
    const handle = await open(target, 'r+');
    try {
      await handle.write(data, 0, data.length, 0);
      await handle.truncate(data.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } finally {
    await unlink(copyPath).catch(() => undefined);
  }
  return 'in-place';
}

/**
 * A draft opened to be fixed: its bytes as read, and (unless opened only to look) its lock, held until
 * `release`. A symbolic link is followed: the file it points at is locked, read and written.
 */
export class Draft {
  private constructor(
    readonly bytes: Buffer,
    private readonly target: string,
    private readonly snapshot: FileSnapshot,
    private readonly lock: FileLock | undefined,
    /** Why it cannot be written whatever its content (no lock could be made in its folder). */
    private readonly cannotWrite: string | undefined,
  ) {}

  /** Throws FileLockedError when another run keeps it locked, or the error that reading it gave. */
  static async open(path: string, { lock = true } = {}): Promise<Draft> {
    const target = await realpath(path);
    let held: FileLock | undefined;
    let cannotWrite: string | undefined;
    if (lock) {
      try {
        held = await FileLock.acquire(target);
      } catch (e) {
        if (e instanceof FileLockedError) throw e;
        // A folder this user may not write in: the file can still be checked, not changed.
        cannotWrite = `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
    }
    try {
      const { bytes, snapshot } = await readWithSnapshot(target);
      return new Draft(bytes, target, snapshot, held, cannotWrite);
    } catch (e) {
      await held?.release();
      throw e;
    }
  }

  /** Write `data` in place of the file; undefined when done, else why not (nothing was written). */
  async save(data: Uint8Array): Promise<string | undefined> {
    const refused = this.cannotWrite ?? (await unwritableReason(this.target));
    if (refused) return refused;
    try {
      await rewriteFile(this.target, data, this.snapshot);
      return undefined;
    } catch (e) {
      if (e instanceof ChangedOnDiskError) return 'changed on disk since it was read; not overwritten';
      return `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }

  async release(): Promise<void> {
    await this.lock?.release();
  }
}
