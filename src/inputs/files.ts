// Plain-text drafts from disk or stdin: expand the paths the user named into files, read them and decode
// them to text. The helpers below the I/O (decodeBytes, firstInvalidUtf8, …) are pure.
//
// Decoding: UTF-8 (a leading BOM is stripped), or UTF-16 LE/BE when the file starts with that BOM.
// Findings' offsets, lines and columns are relative to the decoded text *without* its BOM.
// A file with a NUL byte (and no UTF-16 BOM) is binary: it is skipped, not linted. Bytes that are not
// valid UTF-8 make the file unreadable; the message names the first bad byte (0-based offset).
// Reading goes through read-limited.ts: regular files only (a device or FIFO is a problem, not a hang),
// and no more than READ_LIMITS.inputBytes, from a file or from standard input.
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve, sep } from 'node:path';
import type { IgnoreRules } from '../repo/ignore.js';
import { defaultIgnoreReason } from '../repo/default-ignores.js';
import { FORMAT_BY_EXTENSION } from './kinds.js';
import { READ_LIMITS, ReadLimitError, readRegularFile, readStreamLimited } from './read-limited.js';

/** The path shown for text read from standard input. */
export const STDIN_PATH = '<stdin>';

/**
 * File name extensions a directory (or a glob) is searched for: text, Markdown, HTML, JSON and YAML.
 * Files named directly are read whatever their name (as plain text when the extension is unknown).
 */
export const DRAFT_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** Directories never entered when a directory is searched. */
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.git'];

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** Why a path gave no text: `binary` files are skipped; the others are input errors. */
export type ProblemKind = 'missing' | 'unreadable' | 'binary' | 'encoding' | 'no-files' | 'syntax';

export interface TextInput {
  path: string;
  text: string;
  encoding: Encoding;
}

export interface InputProblem {
  path: string;
  kind: ProblemKind;
  /** What went wrong, without the path: `invalid UTF-8 at byte 17 (line 2)`. */
  error: string;
}

export type Input = TextInput | InputProblem;

export const isProblem = (input: Input): input is InputProblem => 'error' in input;

// ---------------------------------------------------------------------------------------------------
// Pure helpers

export type Decoded = { text: string; encoding: Encoding } | { kind: 'binary' | 'encoding'; error: string };

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1 if all are. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      // A truncated or broken sequence: the lead byte starts the bad sequence.
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line of a byte offset (lines end at \n; a lone \r also ends one). */
export function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): Decoded {
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) {
    return { kind: 'encoding', error: `invalid UTF-16${bigEndian ? 'BE' : 'LE'}: odd number of bytes (${bytes.length})` };
  }
  let le = body;
  if (bigEndian) {
    le = new Uint8Array(body.length);
    for (let i = 0; i < body.length; i += 2) {
      le[i] = body[i + 1]!;
      le[i + 1] = body[i]!;
    }
  }
  try {
    const text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
    return { text, encoding: bigEndian ? 'utf-16be' : 'utf-16le' };
  } catch {
    // An unpaired surrogate: find it for the message.
    for (let i = 0; i + 1 < le.length; i += 2) {
      const u = le[i]! | (le[i + 1]! << 8);
      const next = i + 3 < le.length ? le[i + 2]! | (le[i + 3]! << 8) : -1;
      const prev = i >= 2 ? le[i - 2]! | (le[i - 1]! << 8) : -1;
      const high = u >= 0xd800 && u <= 0xdbff;
      const low = u >= 0xdc00 && u <= 0xdfff;
      if ((high && !(next >= 0xdc00 && next <= 0xdfff)) || (low && !(prev >= 0xd800 && prev <= 0xdbff))) {
        return { kind: 'encoding', error: `invalid UTF-16${bigEndian ? 'BE' : 'LE'} at byte ${i + 2}` };
      }
    }
    return { kind: 'encoding', error: `invalid UTF-16${bigEndian ? 'BE' : 'LE'}` };
  }
}

/**
 * Bytes → text. UTF-16 with a BOM is decoded; otherwise a NUL byte means binary and anything else must
 * be UTF-8 (its BOM, if any, is dropped).
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, false);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, true);
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { kind: 'binary', error: `binary file (NUL byte at byte ${nul}), skipped` };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const at = bad < 0 ? 0 : bad;
    return { kind: 'encoding', error: `invalid UTF-8 at byte ${at} (line ${lineOfByte(bytes, at)})` };
  }
}

/** Does a path use glob syntax (`*`, `?`, `[…]`, `{…}`)? */
export function hasGlobMagic(path: string): boolean {
  return /[*?[\]{}]/.test(path);
}

export function isDraftFile(name: string): boolean {
  return DRAFT_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** Code-unit order, the same on every machine and locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Finding the files

/** A file to read, the standard input, or a path that names nothing readable. */
export type Target = { path: string; stdin?: false; /** Named on the command line, not found in a directory or by a glob. */ named?: boolean } | { path: typeof STDIN_PATH; stdin: true } | InputProblem;

export function errnoMessage(e: unknown): { kind: ProblemKind; error: string } {
  if (e instanceof ReadLimitError) {
    return { kind: 'unreadable', error: e.code === 'ENOTREG' ? `${e.message}: name only files, or pipe it in as - (standard input)` : e.message };
  }
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', error: 'no such file or directory' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', error: 'permission denied' };
  if (code === 'EISDIR') return { kind: 'unreadable', error: 'is a directory' };
  if (code === 'ELOOP') return { kind: 'unreadable', error: 'symbolic link loop' };
  return { kind: 'unreadable', error: code ?? (e as Error).message };
}

/** Why a file found under a directory or by a glob was passed over (for --verbose). */
export interface Skipped {
  path: string;
  reason: string;
  /** The user named this file (rather than a directory or glob holding it). */
  named?: boolean;
}

export interface ExpandOptions {
  /** Files and directories these rules ignore are not searched (files named directly still are). */
  ignore?: IgnoreRules;
  /**
   * The files a directory or a glob is searched for, by name, and how to say so when there are none
   * (default: drafts, DRAFT_EXTENSIONS). Files named directly are read whatever their name.
   */
  kind?: { accepts: (name: string) => boolean; described: string };
  /** Told of every file passed over: an unknown kind of file, or an ignored one. */
  onSkip?: (skipped: Skipped) => void;
  /**
   * `skip`: in a directory walk, a symbolic link to a file outside the directory named is passed over
   * (onSkip) rather than followed: `huashu fix` must not rewrite files elsewhere. Default: followed.
   */
  linksOutside?: 'follow' | 'skip';
}

const accepts = (options: ExpandOptions, name: string) => (options.kind ? options.kind.accepts(name) : isDraftFile(name));

/** Names a directory search passes over without a word: hidden entries and dependency folders. */
const isHidden = (name: string) => name.startsWith('.') || SKIPPED_DIRECTORIES.includes(name);

/**
 * The draft files under a directory, sorted; symbolic links to directories are not followed (so a link
 * loop cannot trap the walk). A subdirectory that cannot be read, or a link to a draft that loops, is
 * returned as a problem and the walk goes on. Only the top directory's own failure throws.
 */
async function walk(dir: string, options: ExpandOptions, top = true, root?: string): Promise<Target[]> {
  const out: Target[] = [];
  // The real path of the directory named, for links that must stay inside it.
  if (options.linksOutside === 'skip') root ??= await realpath(dir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (top) throw e;
    return [{ path: dir, ...errnoMessage(e) }];
  }
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const by = options.ignore?.ignoredBy(full, true);
      if (by) options.onSkip?.({ path: full, reason: `ignored by ${by}` });
      else for (const t of await walk(full, options, false, root)) out.push(t);
      continue;
    }
    let isFile = entry.isFile();
    if (!isFile && entry.isSymbolicLink()) {
      try {
        isFile = (await stat(full)).isFile();
      } catch (e) {
        // A dangling link in a folder is not worth a complaint; a loop is a mistake worth reporting.
        if ((e as NodeJS.ErrnoException).code === 'ELOOP' && accepts(options, entry.name)) out.push({ path: full, ...errnoMessage(e) });
      }
    }
    if (!isFile) continue;
    if (root !== undefined && entry.isSymbolicLink() && accepts(options, entry.name) && !isInside(await realpath(full).catch(() => ''), root)) {
      options.onSkip?.({ path: full, reason: 'symbolic link to a file outside the directory, not followed' });
      continue;
    }
    const by = options.ignore?.ignoredBy(full);
    const byDefault = options.kind ? undefined : defaultIgnoreReason(full);
    if (by) options.onSkip?.({ path: full, reason: `ignored by ${by}` });
    else if (byDefault && accepts(options, entry.name)) options.onSkip?.({ path: full, reason: byDefault });
    else if (accepts(options, entry.name)) out.push({ path: full });
    else options.onSkip?.({ path: full, reason: 'not a kind of file huashu reads' });
  }
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

const isInside = (path: string, dir: string) => path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

async function globFiles(pattern: string, options: ExpandOptions): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  const files = await glob(pattern, {
    onlyFiles: true,
    dot: false,
    expandDirectories: false,
    // paths come back as the pattern was written: relative to the working directory, or absolute
    absolute: isAbsolute(pattern),
    ignore: SKIPPED_DIRECTORIES.map((d) => `**/${d}/**`),
  });
  // A link to a directory (a loop such as sub/up -> ..) lists the same files again under other names:
  // keep each real file once, under its first name in sorted order.
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const f of files.sort(comparePaths)) {
    const by = options.ignore?.ignoredBy(f);
    if (by) options.onSkip?.({ path: f, reason: `ignored by ${by}` });
    else if (!accepts(options, f)) options.onSkip?.({ path: f, reason: 'not a kind of file huashu reads' });
    if (by || !accepts(options, f)) continue;
    const byDefault = options.kind ? undefined : defaultIgnoreReason(f);
    if (byDefault) {
      options.onSkip?.({ path: f, reason: byDefault });
      continue;
    }
    const real = await realpath(f).catch(() => f);
    if (!seen.has(real)) {
      seen.add(real);
      unique.push(f);
    }
  }
  return unique;
}

/**
 * Paths → targets, in the order named: a file is itself, a directory the files under it that huashu reads
 * (recursively, sorted; hidden entries, node_modules and ignored paths left out), a glob its matching
 * files that huashu reads (sorted, ignored ones left out), `-` the standard input. A file named twice
 * (`a.txt ./a.txt`, or a file and its directory) is read once.
 */
export async function expandPaths(paths: readonly string[], options: ExpandOptions = {}): Promise<Target[]> {
  const out: Target[] = [];
  const seen = new Map<string, Target>();
  const add = (t: Target) => {
    const key = 'error' in t ? `\0${t.path}` : t.stdin ? '\0-' : resolve(t.path);
    const before = seen.get(key);
    if (before) {
      // Found in a directory and named as well: it counts as named.
      if ('named' in t && t.named) (before as { named?: boolean }).named = true;
      return;
    }
    seen.set(key, t);
    out.push(t);
  };
  for (const path of paths) {
    if (path === '-') {
      add({ path: STDIN_PATH, stdin: true });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      if (hasGlobMagic(path)) {
        const files = await globFiles(path, options);
        if (files.length === 0) add({ path, kind: 'no-files', error: 'no files match this pattern' });
        for (const f of files) add({ path: f });
        continue;
      }
      add({ path, ...errnoMessage(e) });
      continue;
    }
    if (info.isDirectory()) {
      let found: Target[];
      try {
        found = await walk(path, options);
      } catch (e) {
        add({ path, ...errnoMessage(e) });
        continue;
      }
      if (found.length === 0) {
        const error = options.kind ? `no ${options.kind.described} in this directory` : `no files to lint in this directory (huashu reads ${DRAFT_EXTENSIONS.join(' ')})`;
        add({ path, kind: 'no-files', error });
      }
      for (const t of found) add(t);
    } else {
      // Named directly: linted whatever its extension, but an ignore file still has the last word.
      const by = options.ignore?.ignoredBy(path);
      if (by) options.onSkip?.({ path, reason: `ignored by ${by}`, named: true });
      else add({ path, named: true });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reading them

export function toInput(path: string, bytes: Uint8Array): Input {
  const decoded = decodeBytes(bytes);
  return 'text' in decoded ? { path, text: decoded.text, encoding: decoded.encoding } : { path, kind: decoded.kind, error: decoded.error };
}

export interface ReadOptions {
  /** Where `-` reads from (default: process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** The raw bytes of a target (for hashing before decoding), or why there are none. */
export async function readTargetBytes(target: Target, options: ReadOptions = {}): Promise<{ path: string; bytes: Uint8Array } | InputProblem> {
  if ('error' in target) return target;
  try {
    if (target.stdin) return { path: target.path, bytes: await readStreamLimited(options.stdin ?? process.stdin, READ_LIMITS.inputBytes) };
    // Synchronous: for thousands of small files in one run it is several times faster than the thread pool.
    return { path: target.path, bytes: readRegularFile(target.path, READ_LIMITS.inputBytes) };
  } catch (e) {
    return { path: target.path, ...errnoMessage(e) };
  }
}

export async function readTarget(target: Target, options: ReadOptions = {}): Promise<Input> {
  const raw = await readTargetBytes(target, options);
  return 'error' in raw ? raw : toInput(raw.path, raw.bytes);
}

/** Expand and read: one Input per file, in order. */
export async function readInputs(paths: readonly string[], options: ReadOptions = {}): Promise<Input[]> {
  const targets = await expandPaths(paths);
  const out: Input[] = [];
  for (const t of targets) out.push(await readTarget(t, options));
  return out;
}
