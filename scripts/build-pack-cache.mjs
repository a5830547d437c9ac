// Cache the built-in packs as validated JSON (dist/pack-cache/), so start-up skips YAML parsing.
// Runs after tsc in `npm run build`; see src/rules/pack-cache.ts.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePack } from '../dist/rules/parse.js';
import { PACK_CACHE_DIR, packCacheKey } from '../dist/rules/pack-cache.js';

const rulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');
rmSync(PACK_CACHE_DIR, { recursive: true, force: true });
mkdirSync(PACK_CACHE_DIR, { recursive: true });
let n = 0;
for (const name of readdirSync(rulesDir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
  const file = join(rulesDir, name);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const spec = parsePack(text, file); // throws with file:line:col on an invalid built-in pack: the build fails
  const out = join(PACK_CACHE_DIR, `${packCacheKey(text)}.json`);
  writeFileSync(`${out}.tmp`, JSON.stringify(spec));
  renameSync(`${out}.tmp`, out);
  n++;
}
console.log(`pack cache: ${n} built-in packs`);
