// Cache the built-in packs as validated JSON (dist/pack-cache/), so start-up skips YAML parsing.
// Runs after tsc in `npm run build`; see src/rules/pack-cache.ts.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePack } from '../dist/rules/parse.js';
import { PACK_CACHE_DIR, packCacheFiles } from '../dist/rules/pack-cache.js';

const rulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');
rmSync(PACK_CACHE_DIR, { recursive: true, force: true });
mkdirSync(PACK_CACHE_DIR, { recursive: true });
let n = 0;
for (const name of readdirSync(rulesDir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
  const file = join(rulesDir, name);
  const bytes = readFileSync(file);
  const spec = parsePack(bytes.toString('utf8').replace(/^\uFEFF/, ''), file); // throws with file:line:col on an invalid built-in pack: the build fails
  const out = packCacheFiles(file);
  // The spec first: an entry is used only when its source file is there too.
  // Without `regexes` (each pattern again, with its line and column): they serve only the backtracking check
  // of users' packs, and a built-in pack is checked by the test-suite; half the file, parsed at every start.
  writeFileSync(`${out.spec}.tmp`, JSON.stringify(spec, (key, value) => (key === 'regexes' ? undefined : value)));
  renameSync(`${out.spec}.tmp`, out.spec);
  writeFileSync(`${out.source}.tmp`, bytes);
  renameSync(`${out.source}.tmp`, out.source);
  n++;
}
console.log(`pack cache: ${n} built-in packs`);
