// Property tests: hostile text never crashes the engine and every finding points at its exact place.
// A small, fixed budget here (a few seconds); `npm run fuzz` (scripts/fuzz.mjs) runs the same properties
// with HUASHU_FUZZ_RUNS cases each and HUASHU_FUZZ_REPORT naming a file for the counts.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRules, loadRules, parsePack } from '../src/index.js';
import { draftArbitrary, STRESS_PACK, triggerTexts } from './fuzz/arbitraries.js';
import { checkLint, checkNormalize } from './fuzz/properties.js';

const rules = await loadRules();
const triggers = await triggerTexts(rules);
const stress = compileRules([parsePack(STRESS_PACK, 'stress.yaml')]);
const runs = Number(process.env['HUASHU_FUZZ_RUNS'] ?? 400);
const seed = process.env['HUASHU_FUZZ_SEED'] ? Number(process.env['HUASHU_FUZZ_SEED']) : undefined;
const counts: Record<string, number> = {};

function property(name: string, numRuns: number, arbitrary: fc.Arbitrary<string>, check: (text: string) => number): void {
  let cases = 0;
  let findings = 0;
  fc.assert(
    fc.property(arbitrary, (text) => {
      cases++;
      findings += check(text);
    }),
    { numRuns, seed },
  );
  counts[`${name} cases`] = cases;
  if (findings > 0) counts[`${name} findings`] = findings;
}

describe('fuzz: hostile drafts', () => {
  it('lintText never throws and every finding matches its excerpt, line and column', () => {
    property('lint', runs, draftArbitrary(triggers), (text) => checkLint(text, rules).length);
    // The generators are built from the packs' trigger words: a run without findings tests nothing.
    expect(counts['lint findings']).toBeGreaterThan(runs / 10);
  });

  it('the same on long drafts of many lines', () => {
    property('long', Math.ceil(runs / 20), draftArbitrary(triggers, 600), (text) => checkLint(text, rules).length);
  });

  it('a pack of patterns that match line breaks, white space and any character keeps spans exact', () => {
    property('stress', runs, draftArbitrary(triggers), (text) => checkLint(text, stress).length);
  });

  it('normalization keeps a monotonic, total offset map', () => {
    property('normalize', runs * 2, draftArbitrary(triggers), (text) => {
      checkNormalize(text);
      return 0;
    });
  });
});

afterAll(() => {
  const report = process.env['HUASHU_FUZZ_REPORT'];
  if (report) writeFileSync(report, JSON.stringify({ seed, counts }));
});

describe('regressions found by fuzzing', () => {
  it('a pattern that matches half of a CRLF is widened to the whole line break', () => {
    // `\s` matched the \r of "\r\n" alone: the finding ended between \r and \n, a place with no line/column.
    const [cr] = checkLint('保证\r\n一定', stress).filter((f) => f.ruleId === 'stress/line-breaks');
    expect(cr).toMatchObject({ offset: 2, length: 2, excerpt: '\r\n', line: 1, column: 3, endLine: 2, endColumn: 1 });
    const [before] = checkLint('好\r\n一定', stress).filter((f) => f.ruleId === 'stress/space-before');
    expect(before).toMatchObject({ offset: 1, excerpt: '\r\n一定', line: 1, column: 2, endLine: 2, endColumn: 3 });
  });
});
