// Which files a repository does not want linted: `.huashuignore` files (gitignore syntax), `.gitignore`
// files when huashu runs inside a git work tree, and patterns given by the caller (a config's `ignore`).
// Like git, an ignore file applies to its own directory and below, a deeper file can re-include (`!x`)
// what a shallower one ignored, and nothing under an ignored directory comes back.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type ignoreFactory from 'ignore';
import type { Ignore } from 'ignore';

// The `ignore` package (34 KB of JavaScript) is loaded when there is a pattern to match: a draft linted
// outside any repository, or where no ignore file applies, never parses it.
let factory: typeof ignoreFactory | undefined;
const ignore = (): Ignore => (factory ??= createRequire(import.meta.url)('ignore') as typeof ignoreFactory)();

export const HUASHU_IGNORE_FILE = '.huashuignore';

export interface IgnoreOptions {
  /** Where relative paths are resolved from, and where extra patterns apply (default: process.cwd()). */
  cwd?: string;
  /** Honour .gitignore files when inside a git work tree (default true). */
  gitignore?: boolean;
  /** More patterns in gitignore syntax, relative to `cwd` (e.g. from a config file). */
  patterns?: readonly string[];
}

/** The top of the git work tree holding `dir`, or undefined: found by its `.git` entry, without git. */
export function findGitRoot(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, '.git'))) return d;
    const parent = dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

interface Level {
  dir: string;
  rules: Ignore;
  /** The file the rules came from, for --verbose. */
  source: string;
}

export class IgnoreRules {
  readonly cwd: string;
  /** The directory whose ignore files apply first: the git work tree's top, or cwd. */
  readonly root: string;
  readonly gitRoot: string | undefined;
  private readonly useGitignore: boolean;
  private readonly levels = new Map<string, Level[]>();
  private readonly extra: Level | undefined;
  private readonly decided = new Map<string, string | false>();

  constructor(options: IgnoreOptions = {}) {
    this.cwd = resolve(options.cwd ?? process.cwd());
    this.gitRoot = findGitRoot(this.cwd);
    this.useGitignore = options.gitignore !== false && this.gitRoot !== undefined;
    this.root = this.gitRoot && isInside(this.gitRoot, this.cwd) ? this.gitRoot : this.cwd;
    if (options.patterns?.length) this.extra = { dir: this.cwd, rules: ignore().add([...options.patterns]), source: 'ignore patterns' };
  }

  /** The ignore files of one directory (cached). */
  private levelsOf(dir: string): Level[] {
    let found = this.levels.get(dir);
    if (found) return found;
    found = [];
    const names = this.useGitignore ? ['.gitignore', HUASHU_IGNORE_FILE] : [HUASHU_IGNORE_FILE];
    for (const name of names) {
      const file = join(dir, name);
      let text: string;
      try {
        if (!statSync(file).isFile()) continue;
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      found.push({ dir, rules: ignore().add(text), source: toPosix(relative(this.cwd, file)) || name });
    }
    this.levels.set(dir, found);
    return found;
  }

  /** Why `path` itself is ignored by the rules of the directories above it, not looking at its parents. */
  private ownVerdict(abs: string, isDir: boolean): string | false {
    let verdict: string | false = false;
    const apply = (level: Level) => {
      if (!isInside(level.dir, abs) || abs === level.dir) return;
      const rel = toPosix(relative(level.dir, abs)) + (isDir ? '/' : '');
      const r = level.rules.test(rel);
      if (r.ignored) verdict = level.source;
      else if (r.unignored) verdict = false;
    };
    if (this.extra) apply(this.extra);
    if (isInside(this.root, abs)) {
      const chain: string[] = [];
      for (let d = dirname(abs); ; d = dirname(d)) {
        chain.unshift(d);
        if (d === this.root || dirname(d) === d) break;
      }
      for (const dir of chain) for (const level of this.levelsOf(dir)) apply(level);
    }
    return verdict;
  }

  /**
   * The ignore file that excludes `path` (relative to cwd, or absolute), or false when it is not ignored.
   * A path under an ignored directory is ignored too.
   */
  ignoredBy(path: string, isDir = false): string | false {
    const abs = resolve(this.cwd, path);
    const key = `${isDir ? 'd' : 'f'}${abs}`;
    const cached = this.decided.get(key);
    if (cached !== undefined) return cached;
    let verdict: string | false = false;
    const parent = dirname(abs);
    if (parent !== abs && isInside(this.root, parent) && parent !== this.root) verdict = this.ignoredBy(parent, true);
    if (!verdict) verdict = this.ownVerdict(abs, isDir);
    this.decided.set(key, verdict);
    return verdict;
  }

  isIgnored(path: string, isDir = false): boolean {
    return this.ignoredBy(path, isDir) !== false;
  }
}
