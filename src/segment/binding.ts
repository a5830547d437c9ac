// nodejieba's native binding, checked without loading it: an install with --ignore-scripts (or a failed
// build) leaves the package without build/Release/nodejieba.node, and without this check huashu would fail
// only on the first draft that needs word boundaries, with an "internal error". The CLI checks at start-up.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const SEGMENTER_FIX = 'reinstall huashu without --ignore-scripts (npm builds or downloads the binding), or run `npm rebuild nodejieba`';

/** A one-line problem when the segmenter cannot load; undefined when its binding is in place. */
export function segmenterProblem(): string | undefined {
  // Where an install puts it (dist/bundle, dist/segment and src/segment are two levels down): one stat.
  // Resolving the package as require would (~0.7 ms of every run) only when it is not there.
  if (existsSync(new URL('../../node_modules/nodejieba/build/Release/nodejieba.node', import.meta.url))) return undefined;
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('nodejieba/package.json');
  } catch {
    return `the word segmenter nodejieba is not installed: ${SEGMENTER_FIX}`;
  }
  const binding = join(dirname(pkg), 'build', 'Release', 'nodejieba.node');
  return existsSync(binding) ? undefined : `the word segmenter's native binding is missing (${binding}): ${SEGMENTER_FIX}`;
}

/** The error a library caller gets when segmentation is needed and the binding does not load. */
export class SegmenterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmenterError';
  }
}
