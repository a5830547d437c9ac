// Where a command's output options point, checked before any work is done: an output never replaces an
// input or another output, and only a regular file (or a new one) is written atomically. A device, a
// FIFO or a terminal is written to directly (renaming a temporary file over /dev/null as root would put a
// regular file in its place); `-` and /dev/stdout are standard output.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export type OutputTarget =
  | { option: string; path: string; kind: 'stdout' }
  /** A regular file, or one that does not exist yet: replaced atomically at the end. */
  | { option: string; path: string; kind: 'file'; target: string; mode?: number; id?: string }
  /** A device, FIFO or socket: opened and written to as it is. */
  | { option: string; path: string; kind: 'special'; target: string; id: string; charDevice: boolean };

const isStdout = (path: string) => path === '-' || path === '/dev/stdout';

/** Device and inode: the identity of a file whatever it is called (links, `./`, symbolic links). */
const idOf = (info: { dev: number; ino: number }) => `${info.dev}:${info.ino}`;

/** Where a file that does not exist yet would be: its folder's real path (when that exists) and its name. */
async function futurePath(path: string): Promise<string> {
  const dir = await realpath(dirname(path)).catch(() => resolve(dirname(path)));
  return join(dir, basename(path));
}

/** Resolve one output option; a directory is a usage error now rather than after the whole run. */
export async function resolveOutput(option: string, path: string): Promise<OutputTarget> {
  if (isStdout(path)) return { option, path, kind: 'stdout' };
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A new file (or one under a file, ENOTDIR): opening it says what is wrong, as for any file.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { option, path, kind: 'file', target: await futurePath(path) };
    throw new UsageError(`${option} ${path}: cannot write (${code ?? (e as Error).message})`);
  }
  if (info.isDirectory()) throw new UsageError(`${option} ${path}: is a directory (name a file)`);
  const target = await realpath(path);
  if (info.isFile()) return { option, path, kind: 'file', target, mode: info.mode & 0o7777, id: idOf(info) };
  return { option, path, kind: 'special', target, id: idOf(info), charDevice: info.isCharacterDevice() };
}

/**
 * Resolve every output option and refuse two that name the same file or both standard output (the last
 * would silently win). Character devices (/dev/null, a terminal) may be shared: nothing is lost there.
 */
export async function resolveOutputs(options: readonly { option: string; path: string | undefined }[]): Promise<OutputTarget[]> {
  const out: OutputTarget[] = [];
  for (const { option, path } of options) {
    if (path === undefined) continue;
    const t = await resolveOutput(option, path);
    const same = out.find((o) => {
      if (o.kind === 'stdout' || t.kind === 'stdout') return o.kind === t.kind;
      if (o.kind === 'special' && t.kind === 'special' && o.charDevice && t.charDevice) return false;
      return (o.id !== undefined && o.id === t.id) || o.target === t.target;
    });
    if (same) {
      const what = t.kind === 'stdout' ? 'standard output' : `the same file (${path})`;
      throw new UsageError(`${same.option} and ${option} both write to ${what}: give each output its own file`);
    }
    out.push(t);
  }
  return out;
}

/**
 * Inputs that are also outputs. One the user named (`lint -o t.txt t.txt`, `audit in.csv --out in.csv`)
 * is a usage error: writing the report over it would destroy it. One a directory or a glob found (last
 * run's report) is returned, for the caller to leave out.
 */
export async function inputsAmongOutputs(outputs: readonly OutputTarget[], inputs: readonly { path: string; named?: boolean }[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Only an output that exists can be an input (by its device and inode); a new one cannot.
  const existing = outputs.filter((o): o is Extract<OutputTarget, { id?: string }> & { id: string } => 'id' in o && o.id !== undefined && !(o.kind === 'special' && o.charDevice));
  if (existing.length === 0) return found;
  for (const input of inputs) {
    const info = await stat(input.path).catch(() => undefined);
    const output = info && existing.find((o) => o.id === idOf(info));
    if (!output) continue;
    if (input.named) throw new UsageError(`${output.option} ${output.path}: is also an input (${input.path}); writing there would destroy it: choose another file`);
    found.add(input.path);
  }
  return found;
}
