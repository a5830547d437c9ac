// Validated packs cached as JSON, keyed by a hash of the YAML text. Parsing YAML (and loading the `yaml`
// package at all) is the largest part of start-up after the segmenter; the built-in packs are cached at
// build time (scripts/build-pack-cache.mjs), so `huashu lint` on one draft never parses YAML for them.
// A pack whose text changed simply misses the cache: the hash is over the exact bytes that would be parsed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PackSpec } from './types.js';

export const PACK_CACHE_DIR = fileURLToPath(new URL('../../dist/pack-cache/', import.meta.url));

/** Bump when the shape of PackSpec changes, so caches written by an older build are ignored. */
export const PACK_CACHE_VERSION = 2;

export function packCacheKey(text: string): string {
  return createHash('sha256').update(`${PACK_CACHE_VERSION}\0${text}`).digest('hex').slice(0, 32);
}

/** The cached pack for this exact text, re-pointed at `file`, or undefined. */
export function cachedPack(text: string, file: string): PackSpec | undefined {
  let json: string;
  try {
    json = readFileSync(`${PACK_CACHE_DIR}${packCacheKey(text)}.json`, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const spec = JSON.parse(json) as PackSpec;
    // Locations name the file the user has, not the one the cache was built from.
    spec.file = file;
    for (const rule of spec.rules) rule.location = { ...rule.location, file };
    return spec;
  } catch {
    return undefined; // a damaged cache entry is a miss, never an error
  }
}
