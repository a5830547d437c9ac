// What compiling the built-in packs computes from their text alone, computed once at build time: the
// canonical (normalized) form of every word and expression (dist/dict/canonical.json) and the anchors of
// every pattern (dist/dict/anchors.json, src/rules/anchors.ts). Start-up then neither normalizes the packs
// nor parses a regular expression. Runs after build-charmaps.mjs and build-pack-cache.mjs.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANCHOR_TABLE_FILE, ANCHOR_TABLE_VERSION, anchorTable } from '../dist/rules/anchors.js';
import { CANONICAL_TABLE_FILE, canonicalTable, compileRules } from '../dist/rules/compile.js';
import { BUILTIN_RULES_DIR, loadPacks } from '../dist/rules/load.js';

// Compute everything afresh (the tables are read on first use, after this).
rmSync(ANCHOR_TABLE_FILE, { force: true });
rmSync(CANONICAL_TABLE_FILE, { force: true });
const set = compileRules(await loadPacks({ packs: [join(BUILTIN_RULES_DIR, 'extra')] }));

function writeAtomic(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}
writeAtomic(ANCHOR_TABLE_FILE, { version: ANCHOR_TABLE_VERSION, anchors: anchorTable() });
// A form that is its own text (two in three: the packs are written in simplified) is stored as 0.
writeAtomic(CANONICAL_TABLE_FILE, Object.fromEntries(Object.entries(canonicalTable()).map(([text, form]) => [text, form === text ? 0 : form])));
const patterns = set.rules.flatMap((r) => r.matchers);
console.log(`huashu: ${Object.keys(canonicalTable()).length} canonical forms; anchors for ${patterns.filter((m) => m.anchors).length} of ${patterns.length} built-in patterns`);
