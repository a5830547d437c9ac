// Where reviewers' verdicts are kept: `.huashu-review.json`, found from a folder upward (as a config is).
// Small on purpose: `huashu lint` looks for it on every run and loads review.ts only when there is one.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REVIEW_FILE = '.huashu-review.json';

/** The review file in `from` or the nearest folder above it; undefined when there is none. */
export function findReviewFile(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, REVIEW_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
