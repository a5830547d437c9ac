// Render every text of the built-in packs (messages, suggestions, why quotes) in all three scripts, once, at
// build time: dist/dict/prerendered.json. Linting with the built-in packs then loads no OpenCC dictionary
// (src/normalize/render.ts). Runs after build-pack-cache.mjs.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_RULES_DIR, loadPacks, renderedTexts } from '../dist/rules/load.js';
import { PRERENDERED_VERSION, SCRIPTS, prepareRendering, renderWithOpenCC } from '../dist/normalize/render.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'dict', 'prerendered.json');
const packs = await loadPacks({ packs: [join(BUILTIN_RULES_DIR, 'extra')] });
const texts = [...new Set(renderedTexts(packs))].sort();
await prepareRendering();
const renders = Object.fromEntries(SCRIPTS.map((script) => [script, Object.fromEntries(texts.map((t) => [t, renderWithOpenCC(t, script)]))]));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, JSON.stringify({ version: PRERENDERED_VERSION, renders }));
renameSync(`${out}.tmp`, out);
console.log(`huashu: prerendered ${texts.length} rule texts in ${SCRIPTS.length} scripts`);
