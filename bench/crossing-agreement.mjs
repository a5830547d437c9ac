// Does the crossing-word table (src/segment/crossing.ts) give jieba's answer? For every occurrence of a
// phrase-rule phrase in real agent turns (../shared/corpus) and in our labeled fixtures, compare
// "surely on boundaries" with the boundaries jieba actually produces for the sentence.
// Usage: node bench/crossing-agreement.mjs   (after npm run build)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../dist/index.js';
import { normalize } from '../dist/normalize/index.js';
import { addWords, tokenBoundaries } from '../dist/segment/index.js';
import { surelyOnBoundaries } from '../dist/segment/crossing.js';
import { isSentenceBreak, spanAround } from '../dist/engine/context.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const texts = [];
const corpus = join(root, '..', 'shared', 'corpus');
if (existsSync(corpus)) {
  for (const f of readdirSync(corpus).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(corpus, f), 'utf8').split('\n')) {
      if (!line) continue;
      const d = JSON.parse(line);
      if (d.role === 'agent') texts.push(d.text);
    }
  }
}
const labeled = join(root, 'fixtures', 'labeled');
for (const f of readdirSync(labeled).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of readFileSync(join(labeled, f), 'utf8').split('\n')) if (line) texts.push(JSON.parse(line).text);
}

const rules = await loadRules();
addWords(rules.words);
const phrases = [...rules.phraseRules.keys()];
let candidates = 0, decided = 0, wrong = 0, jiebaSays = 0;
const examples = [];
for (const original of texts) {
  const text = normalize(original).text;
  for (const p of phrases) {
    for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + 1)) {
      candidates++;
      const s = spanAround(text, at, at + p.length, isSentenceBreak);
      const b = tokenBoundaries(text.slice(s.start, s.end));
      const truth = b.includes(at - s.start) && b.includes(at + p.length - s.start);
      if (truth) jiebaSays++;
      if (surelyOnBoundaries(text, at, at + p.length, p)) {
        decided++;
        if (!truth) { wrong++; if (examples.length < 10) examples.push(`${p} in ${text.slice(s.start, s.end)}`); }
      }
    }
  }
}
console.log(`texts ${texts.length}, phrase candidates ${candidates} (jieba: ${jiebaSays} on boundaries)`);
console.log(`decided without jieba ${decided} (${((decided / candidates) * 100).toFixed(1)}%), disagreeing with jieba ${wrong}`);
for (const e of examples) console.log('  ', e);
