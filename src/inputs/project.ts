// The project a config or pack belongs to, and whether a path lies inside it: `extends:` and `model:`
// may only reach files of the project that names them (not /etc/shadow, not a home directory's secrets).
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** Markers of a project's top folder. */
const PROJECT_MARKERS = ['.git', 'package.json'];

const real = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * The project folder of files in `dir`: the nearest folder from `dir` upward holding `.git` or
 * `package.json`; without one, `dir` itself. Symbolic links resolved.
 */
export function projectRoot(dir: string): string {
  const start = real(dir);
  for (let at = start; ; ) {
    if (PROJECT_MARKERS.some((m) => existsSync(join(at, m)))) return at;
    const up = dirname(at);
    if (up === at) return start;
    at = up;
  }
}

/** Is `path` (links resolved) `root` or inside it? */
export function isInside(path: string, root: string): boolean {
  const [p, top] = [real(path), real(root)];
  return p === top || p.startsWith(top.endsWith(sep) ? top : top + sep);
}
