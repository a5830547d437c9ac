// File paths as CI tools want them: relative to the working directory (the repository root in CI), with
// forward slashes; as a URI reference for SARIF.
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** `path` relative to `cwd` when it lies inside it, with forward slashes; otherwise as given. */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return toPosix(path).replace(/^\.\//, '');
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : toPosix(path);
}

/** A URI reference for a path: relative paths percent-encoded segment by segment, absolute ones as file: URLs. */
export function pathUri(path: string, cwd = process.cwd()): { uri: string; relative: boolean } {
  const shown = displayPath(path, cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href, relative: false };
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), relative: true };
}
