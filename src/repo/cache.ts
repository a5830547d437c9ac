// `--cache`: remember each file's findings under a hash of its bytes, so a re-run lints only what changed.
// The whole cache is keyed by a hash of everything else that decides findings — huashu's version, the
// rules (every pack's compiled content), the lint options, field paths and placeholder patterns — so a
// changed pack or option starts it afresh. Written atomically; a damaged cache is ignored and rebuilt.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Finding } from '../engine/findings.js';
import { ReadLimitError, readRegularFile } from '../inputs/read-limited.js';

export const CACHE_FORMAT_VERSION = 1;
/** A cache file larger than this is not read (about 100,000 files' findings). */
const CACHE_MAX_BYTES = 512 * 1024 * 1024;
/** The cache file when no --cache-location is given and there is no node_modules folder. */
export const DEFAULT_CACHE_FILE = '.huashucache';

/** node_modules/.cache/huashu/lint.json where a node_modules folder exists (the convention), else .huashucache. */
export function defaultCacheLocation(cwd = process.cwd()): string {
  const modules = join(cwd, 'node_modules');
  if (existsSync(modules) && statSync(modules).isDirectory()) return join(modules, '.cache', 'huashu', 'lint.json');
  return join(cwd, DEFAULT_CACHE_FILE);
}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64url');

/**
 * The rule pack files under these paths (as the loader finds them) with a hash of each one's content:
 * a changed, added or removed pack changes the result, without parsing any of them.
 */
export async function packHashes(paths: readonly string[]): Promise<[string, string][]> {
  const { packFiles } = await import('../rules/load.js');
  const files = (await Promise.all(paths.map(async (p) => packFiles(p).catch(() => [p])))).flat();
  return files.map((f) => {
    try {
      return [f, hashBytes(readFileSync(f))];
    } catch {
      return [f, 'unreadable'];
    }
  });
}

/** A hash of the things besides a file's bytes that decide its findings. */
export function settingsHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

type Entry = { hash: string; findings: Finding[] } | { hash: string; error: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const SEVERITIES = ['error', 'warning', 'info'];
const SCRIPTS = ['simplified', 'traditional-tw', 'traditional-hk'];

function isSuggestion(s: unknown): boolean {
  if (typeof s !== 'object' || s === null) return false;
  const { kind, text, source, safe } = s as Record<string, unknown>;
  if ((kind !== 'replace' && kind !== 'rewrite') || !isString(text) || (safe !== undefined && typeof safe !== 'boolean')) return false;
  if (source === undefined) return true;
  return typeof source === 'object' && source !== null && isString((source as Record<string, unknown>)['doc']) && isString((source as Record<string, unknown>)['section']);
}

/** A finding as lint writes it, pointing at `text` (`text.slice(offset, offset + length) === excerpt`). */
function isFinding(f: unknown, text: string): boolean {
  if (typeof f !== 'object' || f === null) return false;
  const x = f as Record<string, unknown>;
  if (![x['ruleId'], x['category'], x['message'], x['excerpt']].every(isString)) return false;
  if (!SEVERITIES.includes(x['severity'] as string) || !SCRIPTS.includes(x['script'] as string)) return false;
  if (![x['line'], x['column'], x['endLine'], x['endColumn'], x['offset'], x['length']].every(isCount)) return false;
  const offset = x['offset'] as number;
  if (text.slice(offset, offset + (x['length'] as number)) !== x['excerpt']) return false;
  return Array.isArray(x['suggestions']) && x['suggestions'].every(isSuggestion);
}

/**
 * Is a cache entry what this code writes? The cache is a file anyone can edit: a tampered entry
 * (`findings: "x"`) ended the run with an internal error. One that is not is a miss.
 */
function isValidEntry(e: unknown, text: string): e is Entry {
  if (typeof e !== 'object' || e === null || !isString((e as Entry).hash)) return false;
  if ('error' in e) return isString(e.error);
  return 'findings' in e && Array.isArray(e.findings) && e.findings.every((f) => isFinding(f, text));
}

interface CacheFile {
  version: number;
  settings: string;
  entries: Record<string, Entry>;
}

export class LintCache {
  hits = 0;
  misses = 0;
  private dirty = false;

  private constructor(
    readonly location: string,
    private readonly settings: string,
    private readonly entries: Map<string, Entry>,
    /** Why the old cache was not used, if it was not (for --verbose). */
    readonly discarded?: string,
  ) {}

  static async open(location: string, settings: string): Promise<LintCache> {
    let text: string;
    try {
      // --cache-location /dev/zero or a FIFO must not hang the run: read only a regular file, bounded.
      text = readRegularFile(location, CACHE_MAX_BYTES).toString('utf8');
    } catch (e) {
      if (e instanceof ReadLimitError) return new LintCache(location, settings, new Map(), e.message);
      return new LintCache(location, settings, new Map());
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      if (data.version !== CACHE_FORMAT_VERSION) return new LintCache(location, settings, new Map(), 'written by another version of huashu');
      if (data.settings !== settings) return new LintCache(location, settings, new Map(), 'rules or options changed');
      return new LintCache(location, settings, new Map(Object.entries(data.entries)));
    } catch {
      return new LintCache(location, settings, new Map(), 'damaged; rebuilt');
    }
  }

  /** The cached result for a file whose bytes hash to `hash` and decode to `text`, if any. */
  get(path: string, hash: string, text: string): { findings: Finding[] } | { error: string } | undefined {
    const e = this.entries.get(resolve(path));
    if (e && e.hash === hash && isValidEntry(e, text)) {
      this.hits++;
      return 'error' in e ? { error: e.error } : { findings: e.findings };
    }
    this.misses++;
    return undefined;
  }

  set(path: string, hash: string, result: { findings: Finding[] } | { error: string }): void {
    this.entries.set(resolve(path), { hash, ...result });
    this.dirty = true;
  }

  /** Write the cache atomically (temp file, fsync, rename). Entries of files that are gone are dropped. */
  async save(): Promise<void> {
    for (const path of this.entries.keys()) {
      if (!existsSync(path)) {
        this.entries.delete(path);
        this.dirty = true;
      }
    }
    if (!this.dirty && existsSync(this.location)) return;
    const data: CacheFile = { version: CACHE_FORMAT_VERSION, settings: this.settings, entries: Object.fromEntries(this.entries) };
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dirname(this.location), { recursive: true });
    const { writeFileAtomic } = await import('../inputs/write.js');
    await writeFileAtomic(this.location, Buffer.from(JSON.stringify(data) + '\n', 'utf8'));
  }
}
