// The classifier's fast scorer (numeric n-gram keys, no strings) must give exactly the score of the
// definition the models are trained on (`features`: string n-grams of the normalized text).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModelFile, MAX_SCORED_CHARS, MIN_SCORED_CHARS, referenceScore, scorable, score } from '../src/classifier/index.js';
import { normalize } from '../src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = ['overpromise', 'negative', 'blame'].map((c) => loadModelFile(join(ROOT, 'rules', 'models', `${c}.json`)));

function expectSameScores(texts: readonly string[]): void {
  for (const text of texts) {
    for (const model of models) {
      const fast = score(model, text);
      const reference = referenceScore(model, text);
      if (Math.abs(fast - reference) > 1e-12) expect({ text, category: model.category, fast }).toEqual({ text, category: model.category, fast: reference });
    }
  }
}

/** What `scorable` means, written plainly. */
function referenceScorable(text: string): boolean {
  return text.length <= MAX_SCORED_CHARS && [...text].filter((ch) => !/[\s\p{P}\p{S}]/u.test(ch)).length >= MIN_SCORED_CHARS;
}

const labeled = readdirTexts(join(ROOT, 'fixtures', 'labeled'));
function readdirTexts(dir: string): string[] {
  return ['dev.jsonl', 'dev3.jsonl', 'dev4.jsonl', 'train-clean.jsonl']
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => normalize((JSON.parse(l) as { text: string }).text).text);
}

describe('classifier scoring', () => {
  it('scores labeled drafts exactly as the training definition does', () => {
    expect(labeled.length).toBeGreaterThan(1000);
    expectSameScores(labeled);
    // and the scores are not all the same: the models do tell drafts apart
    expect(new Set(labeled.slice(0, 50).map((t) => score(models[2]!, t).toFixed(3))).size).toBeGreaterThan(10);
  });

  it('handles emoji, astral Han characters, lone surrogates and separators as the definition does', () => {
    expectSameScores([
      '',
      '。。。',
      '您好😀我们一定会处理好的👍',
      '𠮶边系快递嘅问题，唔关我哋事',
      '\uD800您好\uDC00你好\uDBFF',
      '您好 \t 您的订单\u3000已经发出！！？？',
      '保证保证保证保证保证保证保证保证',
      'a'.repeat(3000),
    ]);
  });

  it('agrees with the definition on arbitrary text', () => {
    const chars = fc.constantFrom(...'您你我的是保证一定会不能没办法问题快递，。！？ 😀𠮶\uD800\uDC00a1'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), (parts, noise) => {
        const text = parts.join('') + noise;
        for (const model of models) expect(Math.abs(score(model, text) - referenceScore(model, text))).toBeLessThan(1e-12);
        expect(scorable(text)).toBe(referenceScorable(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('scores real agent turns of the shared corpus as the definition does (when ../shared is there)', (context) => {
    const file = join(ROOT, '..', 'shared', 'corpus', 'csds_jd.jsonl');
    if (!existsSync(file)) return context.skip();
    const turns = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { role: string; text: string })
      .filter((t) => t.role === 'agent')
      .slice(0, 5000)
      .map((t) => normalize(t.text).text);
    expectSameScores(turns);
    for (const t of turns) expect(scorable(t)).toBe(referenceScorable(t));
  });
});
