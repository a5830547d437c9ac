// For every phrase of the built-in phrase rules, the dictionary words that could cross its start or its
// end (see src/segment/crossing.ts). Runs after build-dict.mjs and build-pack-cache.mjs.
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../dist/index.js';
import { crossingWords } from '../dist/segment/crossing-words.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dictDir = join(root, 'dist', 'dict');
const rules = await loadRules();
const phrases = [...rules.phraseRules.keys()];
const words = new Set(readFileSync(join(dictDir, 'jieba.small.utf8'), 'utf8').split('\n').map((l) => l.split(' ')[0]).filter((w) => w && w.length > 1));
for (const p of rules.words) words.add(p);

const { start, end } = crossingWords(phrases, words);
// Phrases that share an edge character mostly share their lists: each distinct list is stored once, as one
// string ("word,offset word,offset …": jieba's words hold no space), and a phrase names it by number. Parsing
// ~13,000 two-element arrays cost ~46 M instructions at every start; these strings cost ~5 M, and a list is
// split only when a draft holds its phrase (src/segment/crossing.ts).
const lists = [];
const listIndex = new Map();
const numbered = (table) => Object.fromEntries(Object.entries(table).map(([phrase, list]) => {
  const text = list.map(([w, at]) => `${w},${at}`).join(' ');
  if (!listIndex.has(text)) listIndex.set(text, lists.push(text) - 1);
  return [phrase, listIndex.get(text)];
}));
const out = join(dictDir, 'crossing.json');
writeFileSync(`${out}.tmp`, JSON.stringify({ version: 2, start: numbered(start), end: numbered(end), lists }));
renameSync(`${out}.tmp`, out);
const n = Object.values(start).reduce((a, l) => a + l.length, 0) + Object.values(end).reduce((a, l) => a + l.length, 0);
console.log(`crossing table: ${phrases.length} phrases, ${n} crossing words`);
