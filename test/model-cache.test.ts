// The prebuilt classifier state (dist/dict/models.bin) must give the models exactly what their JSON files
// say, and must be passed over, never trusted, when a model file changed or the cache is damaged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { features, MODEL_CACHE_FILE, modelsFromCache, readModelCache, score, type ClassifierModelFile } from '../src/classifier/index.js';
import { loadRules, normalize } from '../src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'huashu-model-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The score by the JSON file alone: a map from n-gram to weight, no slots, no cache. */
function jsonScorer(file: ClassifierModelFile): (text: string) => number {
  const names = file.features.split(' ');
  const bytes = Buffer.from(file.weights, 'base64');
  const weights = new Map(names.map((n, i) => [n, bytes.readFloatLE(i * 4)]));
  return (text) => {
    const fs = features(text, file.ngrams);
    if (fs.size === 0) return 0;
    let sum = 0;
    for (const f of fs) sum += weights.get(f) ?? 0;
    return 1 / (1 + Math.exp(-(file.bias + sum / Math.sqrt(fs.size))));
  };
}

const drafts = ['dev.jsonl', 'dev4.jsonl']
  .flatMap((f) => readFileSync(join(ROOT, 'fixtures', 'labeled', f), 'utf8').split('\n').filter(Boolean))
  .map((l) => normalize((JSON.parse(l) as { text: string }).text).text);

describe('prebuilt classifier state', () => {
  it('serves the built-in models, loaded as lint loads them, with the weights of their files', async () => {
    const rules = await loadRules();
    const classifiers = rules.rules.filter((r) => r.classifier);
    expect(classifiers.length).toBe(3);
    expect(modelsFromCache()).toBe(3);
    for (const rule of classifiers) {
      const file = JSON.parse(readFileSync(join(ROOT, 'rules', 'models', `${rule.classifier!.model.category}.json`), 'utf8')) as ClassifierModelFile;
      expect(rule.classifier!.model.bias).toBe(file.bias);
      const reference = jsonScorer(file);
      let flagged = 0;
      for (const text of drafts) {
        const s = score(rule.classifier!.model, text);
        if (Math.abs(s - reference(text)) > 1e-9) expect({ text, s }).toEqual({ text, s: reference(text) });
        if (s >= rule.classifier!.threshold) flagged++;
      }
      expect(flagged).toBeGreaterThan(10);
    }
  });

  it('is a miss, not an error, when damaged or of another version', () => {
    const good = readFileSync(MODEL_CACHE_FILE);
    expect(readModelCache(MODEL_CACHE_FILE)).not.toBeNull();
    const truncated = join(tmp, 'truncated.bin');
    writeFileSync(truncated, good.subarray(0, good.length - 3));
    expect(readModelCache(truncated)).toBeNull();
    const garbage = join(tmp, 'garbage.bin');
    writeFileSync(garbage, Buffer.from('not a cache at all'));
    expect(readModelCache(garbage)).toBeNull();
    const other = Buffer.from(good);
    const at = other.indexOf('"version":');
    other.write('"version":9', at);
    const otherFile = join(tmp, 'other.bin');
    writeFileSync(otherFile, other);
    expect(readModelCache(otherFile)).toBeNull();
    expect(readModelCache(join(tmp, 'missing.bin'))).toBeNull();
    // Of the right length but describing a table the code cannot use: more entries than the table holds.
    const overfull = join(tmp, 'overfull.bin');
    writeFileSync(overfull, withHeader(good, (h) => ({ ...h, entries: (h.capacity as number) })));
    expect(readModelCache(overfull)).toBeNull();
    // The same rewriting with the header unchanged is still a cache (the helper does not break it).
    const same = join(tmp, 'same.bin');
    writeFileSync(same, withHeader(good, (h) => h));
    expect(readModelCache(same)).not.toBeNull();
  });

  it('is passed over for a model whose file changed', () => {
    // A copy of the first built-in model with another bias: same path order, different bytes.
    const file = JSON.parse(readFileSync(join(ROOT, 'rules', 'models', 'blame.json'), 'utf8')) as ClassifierModelFile;
    const changed = join(tmp, 'blame.json');
    writeFileSync(changed, JSON.stringify({ ...file, bias: file.bias + 1 }));
    const texts = drafts.slice(0, 60);
    const script = `
      const { loadModelFile, modelsFromCache, score } = await import(${JSON.stringify(join(ROOT, 'dist', 'classifier', 'index.js'))});
      const changed = loadModelFile(${JSON.stringify(changed)});
      const next = loadModelFile(${JSON.stringify(join(ROOT, 'rules', 'models', 'negative.json'))});
      const scores = ${JSON.stringify(texts)}.map((t) => score(next, t));
      console.log(JSON.stringify({ bias: changed.bias, fromCache: modelsFromCache(), nonzero: next.weights.filter((w) => w !== 0).length, scores }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { bias: number; fromCache: number; nonzero: number; scores: number[] };
    expect(out).toMatchObject({ bias: file.bias + 1, fromCache: 0 });
    const negative = JSON.parse(readFileSync(join(ROOT, 'rules', 'models', 'negative.json'), 'utf8')) as ClassifierModelFile;
    expect(out.nonzero).toBe(nonzeroWeights(negative));
    // Loaded the slow way, the table (and its filter) is built as the models load: the same scores.
    const reference = jsonScorer(negative);
    texts.forEach((t, i) => expect(Math.abs(out.scores[i]! - reference(t))).toBeLessThan(1e-9));
  });
});

/** The cache file `bytes` with its JSON header replaced by `edit(header)`, the arrays after it realigned. */
function withHeader(bytes: Buffer, edit: (h: Record<string, unknown>) => Record<string, unknown>): Buffer {
  const align8 = (n: number) => (n + 7) & ~7;
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + length)) as Record<string, unknown>;
  const json = Buffer.from(JSON.stringify(edit(header)));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  const pad = Buffer.alloc(align8(4 + json.length) - 4 - json.length);
  return Buffer.concat([size, json, pad, bytes.subarray(align8(4 + length))]);
}

function nonzeroWeights(file: ClassifierModelFile): number {
  const b = Buffer.from(file.weights, 'base64');
  let n = 0;
  for (let i = 0; i < b.length; i += 4) if (b.readFloatLE(i) !== 0) n++;
  return n;
}
