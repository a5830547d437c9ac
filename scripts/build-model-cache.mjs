// The prebuilt state of the built-in classifier models (dist/dict/models.bin, src/classifier/index.ts):
// load the built-in rules as `huashu lint` does, the slow way, and write the shared slot table and the
// weights as they then stand. Start-up restores them in ~1 ms instead of building them (~50 ms).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MODEL_CACHE_FILE, modelCacheBytes } from '../dist/classifier/index.js';

rmSync(MODEL_CACHE_FILE, { force: true }); // computed afresh, never from an older build's
const { loadRules } = await import('../dist/index.js');
const rules = await loadRules();
const bytes = modelCacheBytes();
mkdirSync(dirname(MODEL_CACHE_FILE), { recursive: true });
writeFileSync(`${MODEL_CACHE_FILE}.tmp`, bytes);
renameSync(`${MODEL_CACHE_FILE}.tmp`, MODEL_CACHE_FILE);
const models = rules.rules.filter((r) => r.classifier).length;
console.log(`model cache: ${models} classifier rules, ${(bytes.length / 1024).toFixed(0)} KB`);
