// Build the trimmed jieba dictionary huashu loads (dist/dict/): jieba's own most frequent words.
// Loading all 349k words costs ~0.9 s and ~300 MB. jieba's load grows with the words (~1.6 µs each here):
// the top 60,000 took ~120 ms, a tenth of the corpus audit, which segments only 39 replies. We keep the top
// 30,000, plus every word of the top 60,000 that could cross the start or end of a built-in rule phrase
// (保证金 around 保证, 可不可以 around 不可以): the words that decide whether a phrase is a whole word
// (src/segment/crossing.ts). Rule phrases and user words are inserted at run time on top, with the left-out
// words that cross a team pack's phrases (jieba.more.utf8).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../dist/index.js';
import { crossingWords } from '../dist/segment/crossing-words.js';

const TOP_WORDS = 30000;
/** Words past TOP_WORDS are kept, down to this rank, where they cross a rule phrase's edge. */
const CROSSING_WORDS_FROM = 60000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'dict');
const require = createRequire(import.meta.url);
const jiebaDict = require('nodejieba').DEFAULT_DICT;

const entries = readFileSync(jiebaDict, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [word, freq, tag] = line.split(' ');
    return { line, freq: Number(freq), word, tag };
  })
  .filter((e) => e.word && Number.isFinite(e.freq));
entries.sort((a, b) => b.freq - a.freq);
const rules = await loadRules();
const candidates = entries.slice(TOP_WORDS, CROSSING_WORDS_FROM).map((e) => e.word).filter((w) => w.length > 1);
const { start, end } = crossingWords([...rules.phraseRules.keys()], candidates);
const crossing = new Set([...Object.values(start), ...Object.values(end)].flatMap((list) => list.map(([w]) => w)));
const kept = entries.slice(0, CROSSING_WORDS_FROM).filter((e, rank) => rank < TOP_WORDS || crossing.has(e.word)).map((e) => e.line);
// The rest of the top 60,000, for a team pack's phrases: the words that cross them are inserted at run time
// (src/segment/index.ts), so they do not fire inside a compound the larger dictionary kept whole.
const leftOut = entries.slice(TOP_WORDS, CROSSING_WORDS_FROM).filter((e) => !crossing.has(e.word)).map((e) => e.line);

mkdirSync(out, { recursive: true });
function writeAtomic(name, text) {
  const tmp = join(out, `.${name}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(out, name));
}
writeAtomic('jieba.small.utf8', kept.join('\n') + '\n');
writeAtomic('jieba.more.utf8', leftOut.join('\n') + '\n');
writeAtomic('user.empty.utf8', '');
writeAtomic('idf.empty.utf8', '客服 10.0\n'); // cppjieba refuses an empty IDF file; keywords are never extracted
writeAtomic('stop.empty.utf8', 'the\n');
console.log(`huashu: wrote ${kept.length} of ${entries.length} jieba words to ${out} (${kept.length - TOP_WORDS} of them for crossing a rule phrase)`);
