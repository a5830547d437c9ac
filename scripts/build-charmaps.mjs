// Build dist/dict/charmaps.json: the character tables normalize and script detection use (see
// src/normalize/charmaps-build.ts), derived from OpenCC's dictionaries once instead of at every start.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { charTablesFromOpenCC } from '../dist/normalize/charmaps-build.js';
import { TABLE_SIZE } from '../dist/normalize/charmaps.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'dict', 'charmaps.json');
const tables = await charTablesFromOpenCC();
const all = [...tables.simplify, ...tables.traditionalOnly, ...tables.simplifiedOnly];
const beyond = all.find((cp) => cp >= TABLE_SIZE);
if (beyond !== undefined) throw new Error(`build-charmaps: U+${beyond.toString(16)} is beyond the table size; raise TABLE_SIZE`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, JSON.stringify(tables));
renameSync(`${out}.tmp`, out);
console.log(`huashu: character tables: ${tables.simplify.length / 2} simplifications, ${tables.traditionalOnly.length} traditional-only, ${tables.simplifiedOnly.length} simplified-only`);
