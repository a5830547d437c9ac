// Validated packs cached as JSON. Parsing YAML (and loading the `yaml` package at all) is the largest part
// of start-up after the segmenter; the built-in packs are cached at build time (scripts/build-pack-cache.mjs),
// so `huashu lint` on one draft never parses YAML for them.
//
// An entry is two files named after the pack: the exact bytes it was built from (`<name>.source`) and the
// validated spec (`<name>.v<version>.json`). A pack is served from the cache only when its bytes are those
// bytes, compared in full: an edited pack, or another pack of the same name, simply misses. The cached spec
// has no `regexes` (the patterns' locations, for the backtracking check of users' packs): the built-in packs
// are checked by the test-suite, and a pack served from here has exactly their bytes. Each cached rule has
// `precomputed` (its canonical forms, its patterns' anchors and required words, src/rules/compile.ts), which
// YAML never gives. (A hash of the text would do the same, but loading node:crypto and decoding the YAML
// to hash it cost ~20 M instructions of a one-draft run; comparing bytes costs next to nothing.)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackSpec, RuleSpec } from './types.js';

export const PACK_CACHE_DIR = fileURLToPath(new URL('../../dist/pack-cache/', import.meta.url));

/** Bump when the shape of PackSpec changes, so caches written by an older build are ignored. */
export const PACK_CACHE_VERSION = 5;

/** The cache's two files for a pack file of this name. */
export function packCacheFiles(file: string): { source: string; spec: string } {
  const name = basename(file);
  return { source: `${PACK_CACHE_DIR}${name}.source`, spec: `${PACK_CACHE_DIR}${name}.v${PACK_CACHE_VERSION}.json` };
}

/** The rules served from the cache as they were built (src/suggest/prechecked.ts trusts only those). */
const served = new WeakSet<RuleSpec>();

/** Is this rule exactly as the build cached it (its pack's bytes unchanged, no severity changed since)? */
export function servedFromPackCache(spec: RuleSpec): boolean {
  return served.has(spec);
}

/** The cached pack for exactly these bytes of `file`, re-pointed at `file`, or undefined. */
export function cachedPack(bytes: Uint8Array, file: string): PackSpec | undefined {
  const files = packCacheFiles(file);
  let json: string;
  try {
    if (!readFileSync(files.source).equals(bytes)) return undefined;
    json = readFileSync(files.spec, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const spec = JSON.parse(json) as PackSpec;
    // Locations name the file the user has, not the one the cache was built from.
    spec.file = file;
    for (const rule of spec.rules) {
      rule.location = { ...rule.location, file };
      served.add(rule);
    }
    return spec;
  } catch {
    return undefined; // a damaged cache entry is a miss, never an error
  }
}
