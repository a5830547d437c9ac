// Property tests: hostile text never crashes the engine and every finding points at its exact place.
// A small, fixed budget here (a few seconds); `npm run fuzz` (scripts/fuzz.mjs) runs the same properties
// with HUASHU_FUZZ_RUNS cases each and HUASHU_FUZZ_REPORT naming a file for the counts.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRules, lintText, loadRules, parsePack } from '../src/index.js';
import { draftArbitrary, STRESS_PACK, triggerTexts } from './fuzz/arbitraries.js';
import { checkLint, checkNormalize } from './fuzz/properties.js';
import { BreakIndex, isClauseBreak, isLineBreak, isSentenceBreak, MAX_SPAN, spanAround } from '../src/engine/context.js';
import { normalize } from '../src/normalize/index.js';

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

describe('fuzz: context windows', () => {
  it('the break index gives the same sentence, clause and line spans as scanning', () => {
    const longDraft = fc.tuple(draftArbitrary(triggers, 60), fc.nat(3 * MAX_SPAN)).map(([t, pad]) => 'x'.repeat(pad) + t);
    fc.assert(
      fc.property(longDraft, fc.nat(), fc.nat(20), (original, at, len) => {
        const text = normalize(original).text;
        const start = text.length ? at % text.length : 0;
        const end = Math.min(text.length, start + len);
        for (const isBreak of [isSentenceBreak, isClauseBreak, isLineBreak]) {
          expect(new BreakIndex(text, isBreak).spanAround(start, end)).toEqual(spanAround(text, start, end, isBreak));
        }
      }),
      { numRuns: Math.ceil(runs / 4), seed },
    );
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

describe('regressions: long drafts stay linear', () => {
  it('a 60,000-character line dense with findings is linted in seconds, not minutes', () => {
    // Every match used to rescan its whole "sentence" (here the whole line) and compare itself with every
    // other finding: over two minutes for this draft. Context windows are now bounded (MAX_SPAN) and
    // break positions indexed once.
    const text = '我保证一定会'.repeat(10_000);
    const t0 = performance.now();
    const findings = lintText(text, rules);
    expect(performance.now() - t0).toBeLessThan(25_000);
    expect(findings.length).toBeGreaterThan(10_000);
    const last = findings[findings.length - 1]!;
    expect(text.slice(last.offset, last.offset + last.length)).toBe(last.excerpt);
    expect(last.column).toBe(last.offset + 1);
  });
});
