// Train the classifier models (rules/models/<category>.json) from the labeled drafts. Deterministic: the
// same files give the same weights. holdout3 and holdout4 are never used: they measure the result.
// Usage: npm run build && node scripts/train-classifier.mjs
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from '../dist/normalize/index.js';
import { features } from '../dist/classifier/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OWN = ['dev.jsonl', 'dev3.jsonl', 'dev4.jsonl', 'holdout.jsonl', 'holdout2.jsonl', 'train-clean.jsonl'];
// The blind sets our helpers wrote (fixtures/labeled/blind*.jsonl) teach wording our own drafts lack. For
// overpromise and blame they raised recall on a later blind set with no loss on the trainers' sets; the
// negative model trained on them flagged small talk on real agent turns (可愛吧～可是沒有…), so it keeps
// the drafts it had (docs/rules.md, "Blind sets").
// blind4 and blind7 (read after their first score) teach the overpromise model too: on blind5 it then finds
// 0.77 of the overpromises alone at 0.9 (0.67 before) while firing on 25 of the corpus's 19,989 agent turns
// (18 before). The same sets added to blame or negative bought recall only by firing more on real turns.
const BLIND = ['blind1.jsonl', 'blind2.jsonl', 'blind3.jsonl'];
const TRAIN_FOR = { overpromise: [...OWN, ...BLIND, 'blind4.jsonl', 'blind7.jsonl'], negative: OWN, blame: [...OWN, ...BLIND] };
const NGRAMS = [1, 2, 3];
const EPOCHS = 200;
const RATE = 0.5;
const L2 = 1e-4;
const MIN_DF = 2;

/** The drafts of `files`, their features and the vocabulary (n-grams in at least MIN_DF drafts). */
function corpus(files) {
  // A debatable label (?blame) is neither a positive nor a clean example: those replies are left out.
  const drafts = files.filter((f) => existsSync(join(root, 'fixtures', 'labeled', f))).flatMap((f) =>
    readFileSync(join(root, 'fixtures', 'labeled', f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
  ).filter((d) => !d.labels.some((l) => l.startsWith('?')));
  const X = drafts.map((d) => [...features(normalize(d.text).text, NGRAMS)]);
  const df = new Map();
  for (const fs of X) for (const f of fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df].filter(([, c]) => c >= MIN_DF).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const rows = X.map((fs) => fs.map((f) => index.get(f)).filter((i) => i !== undefined));
  return { drafts, X, vocab, rows };
}

mkdirSync(join(root, 'rules', 'models'), { recursive: true });
for (const category of ['overpromise', 'negative', 'blame']) {
  const TRAIN = TRAIN_FOR[category];
  const { drafts, X, vocab, rows } = corpus(TRAIN);
  const y = drafts.map((d) => (d.labels.includes(category) ? 1 : 0));
  const w = new Float64Array(vocab.length);
  let b = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let k = 0; k < rows.length; k++) {
      // features are scaled by 1/sqrt(count), as src/classifier score() does
      const x = rows[k].length ? 1 / Math.sqrt(X[k].length) : 0;
      let z = b;
      for (const i of rows[k]) z += w[i] * x;
      const g = 1 / (1 + Math.exp(-z)) - y[k];
      b -= RATE * g;
      for (const i of rows[k]) w[i] -= RATE * (g * x + L2 * w[i]);
    }
  }
  // Version 2 (src/classifier): n-grams joined by spaces, float32 weights in base64, same order.
  const kept = [];
  for (let i = 0; i < vocab.length; i++) if (Math.abs(w[i]) >= 0.01) kept.push([vocab[i], Math.round(w[i] * 1000) / 1000]);
  const buf = Buffer.alloc(kept.length * 4);
  kept.forEach(([, v], i) => buf.writeFloatLE(v, i * 4));
  const model = {
    version: 2,
    category,
    ngrams: NGRAMS,
    bias: Math.round(b * 1000) / 1000,
    features: kept.map(([f]) => f).join(' '),
    weights: buf.toString('base64'),
    trainedOn: { files: TRAIN.filter((f) => existsSync(join(root, 'fixtures', 'labeled', f))), drafts: drafts.length, positives: y.reduce((a, v) => a + v, 0), epochs: EPOCHS, rate: RATE, l2: L2, minDf: MIN_DF },
  };
  const out = join(root, 'rules', 'models', `${category}.json`);
  writeFileSync(`${out}.tmp`, JSON.stringify(model) + '\n');
  renameSync(`${out}.tmp`, out);
  console.log(`${category}: ${kept.length} weights from ${drafts.length} drafts (${model.trainedOn.positives} positive)`);
}
