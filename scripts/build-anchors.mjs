// The anchors of every pattern of the built-in packs (src/rules/anchors.ts), analysed once at build time:
// dist/dict/anchors.json. Start-up then needs no regular-expression parser for them.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANCHOR_TABLE_FILE, ANCHOR_TABLE_VERSION, anchorTable } from '../dist/rules/anchors.js';

rmSync(ANCHOR_TABLE_FILE, { force: true }); // analyse everything afresh
const { BUILTIN_RULES_DIR, loadPacks } = await import('../dist/rules/load.js');
const { compileRules } = await import('../dist/rules/compile.js');
const set = compileRules(await loadPacks({ packs: [join(BUILTIN_RULES_DIR, 'extra')] }));
const anchors = anchorTable();
mkdirSync(dirname(ANCHOR_TABLE_FILE), { recursive: true });
writeFileSync(`${ANCHOR_TABLE_FILE}.tmp`, JSON.stringify({ version: ANCHOR_TABLE_VERSION, anchors }));
renameSync(`${ANCHOR_TABLE_FILE}.tmp`, ANCHOR_TABLE_FILE);
const patterns = set.rules.flatMap((r) => r.matchers);
console.log(`huashu: anchors for ${patterns.filter((m) => m.anchors).length} of ${patterns.length} built-in patterns`);
