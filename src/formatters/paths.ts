// File paths as CI tools want them: relative to the working directory (the repository root in CI), with
// forward slashes; as a URI reference for SARIF.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** `path` relative to `cwd` when it lies inside it, with forward slashes; otherwise as given. */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return toPosix(path).replace(/^\.\//, '');
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : toPosix(path);
}

/**
 * `path` (as named, relative to `cwd`) relative to `base` when it lies inside it, with forward slashes;
 * otherwise absolute. No base: as displayPath. `<stdin>` stays as it is.
 */
export function basePath(path: string, base: string | undefined, cwd = process.cwd()): string {
  if (base === undefined || path === '<stdin>') return displayPath(path, cwd);
  const absolute = resolve(cwd, path);
  const rel = relative(resolve(cwd, base), absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : toPosix(absolute);
}

/** The root of the git work tree holding `dir` (a folder with .git, a directory or a worktree's file), if any. */
export function repositoryRoot(dir = process.cwd()): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(`${d}/.git`)) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** A URI reference for a path: relative paths percent-encoded segment by segment, absolute ones as file: URLs. */
export function pathUri(path: string, cwd = process.cwd(), base?: string): { uri: string; relative: boolean } {
  const shown = basePath(path, base, cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href, relative: false };
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), relative: true };
}
