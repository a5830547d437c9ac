// Cache the built-in packs as validated JSON (dist/pack-cache/), so start-up skips YAML parsing, and with
// each rule what compiling its text gives (RuleSpec.precomputed: canonical forms and pattern anchors), so
// start-up neither normalizes the packs nor parses a regular expression. See src/rules/pack-cache.ts.
// Runs after tsc and build-charmaps.mjs in `npm run build`: normalizing needs the character tables.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precomputeRule } from '../dist/rules/compile.js';
import { parsePack } from '../dist/rules/parse.js';
import { PACK_CACHE_DIR, packCacheFiles } from '../dist/rules/pack-cache.js';

const rulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');
rmSync(PACK_CACHE_DIR, { recursive: true, force: true });
// Tables of older builds, keyed by the packs' strings, now carried by the cached rules: no longer read.
for (const old of ['canonical.json', 'anchors.json']) rmSync(join(dirname(PACK_CACHE_DIR), 'dict', old), { force: true });
mkdirSync(PACK_CACHE_DIR, { recursive: true });
let n = 0;
let forms = 0;
let patterns = 0;
let anchored = 0;
for (const name of readdirSync(rulesDir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
  const file = join(rulesDir, name);
  const bytes = readFileSync(file);
  const spec = parsePack(bytes.toString('utf8').replace(/^\uFEFF/, ''), file); // throws with file:line:col on an invalid built-in pack: the build fails
  // Computed by compile's own code (precomputeRule), so the cache cannot drift from what compiling gives.
  for (const rule of spec.rules) rule.precomputed = precomputeRule(rule);
  const out = packCacheFiles(file);
  // The spec first: an entry is used only when its source file is there too.
  // Without `regexes` (each pattern again, with its line and column): they serve only the backtracking check
  // of users' packs, and a built-in pack is checked by the test-suite; half the file, parsed at every start.
  writeFileSync(`${out.spec}.tmp`, JSON.stringify({ ...spec, rules: spec.rules.map(({ regexes, ...rule }) => rule) }));
  renameSync(`${out.spec}.tmp`, out.spec);
  writeFileSync(`${out.source}.tmp`, bytes);
  renameSync(`${out.source}.tmp`, out.source);
  n++;
  for (const rule of spec.rules) {
    forms += Object.keys(rule.precomputed.forms).length;
    patterns += rule.precomputed.anchors.length;
    anchored += rule.precomputed.anchors.filter(Boolean).length;
  }
}
console.log(`pack cache: ${n} built-in packs; ${forms} canonical forms differ from their text; anchors for ${anchored} of ${patterns} patterns`);
