// The labeled drafts in fixtures/labeled/ must keep the bar the hidden evaluation uses:
// precision and recall >= 0.85 per category, <= 10% of clean drafts flagged (warning or error).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText, loadRules } from '../src/index.js';

const rules = await loadRules();
const CATEGORIES = ['overpromise', 'negative', 'blame'];

for (const file of ['dev.jsonl']) {
  describe(`accuracy on fixtures/labeled/${file}`, () => {
    const drafts = readFileSync(new URL(`../fixtures/labeled/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string; labels: string[] });
    const predicted = drafts.map((d) => new Set(lintText(d.text, rules).filter((f) => f.severity !== 'info').map((f) => f.category)));
    for (const c of CATEGORIES) {
      it(`${c}: precision and recall >= 0.85`, () => {
        let tp = 0, fp = 0, fn = 0;
        drafts.forEach((d, i) => {
          const gold = d.labels.includes(c);
          const pred = predicted[i]!.has(c);
          if (gold && pred) tp++;
          else if (pred) fp++;
          else if (gold) fn++;
        });
        expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.85);
        expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.85);
      });
    }
    it('flags at most 10% of clean drafts', () => {
      const clean = drafts.map((d, i) => [d, predicted[i]!] as const).filter(([d]) => d.labels.length === 0);
      expect(clean.filter(([, p]) => p.size > 0).length / clean.length).toBeLessThanOrEqual(0.1);
    });
  });
}
