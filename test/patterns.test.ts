// Anchored pattern matching (rules/anchors.ts, engine/patterns.ts) must find exactly what a global scan
// finds: on real text with every built-in pattern, and on generated text with patterns built to probe
// the analysis (lookarounds, optional parts, astral characters, windows, alternations).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeywordIndex } from '../src/engine/keywords.js';
import { patternMatches, type PatternMatcher } from '../src/engine/patterns.js';
import { normalize } from '../src/normalize/index.js';
import { patternAnchors, patternRequirements } from '../src/rules/anchors.js';
import { compileRules } from '../src/rules/compile.js';
import { BUILTIN_RULES_DIR, loadPacks } from '../src/rules/load.js';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

/** Ranges of candidate starts from anchor occurrences, as engine/lint.ts builds them. */
function rangesFor(matcher: PatternMatcher, text: string): number[] {
  const ranges: number[] = [];
  for (const a of matcher.anchors ?? []) {
    for (let at = text.indexOf(a.text); at !== -1; at = text.indexOf(a.text, at + 1)) ranges.push(at - a.max, at - a.min);
  }
  return ranges;
}

const globalOnly = (m: PatternMatcher): PatternMatcher => ({ global: m.global, anchors: null });

function realTexts(): string[] {
  const texts: string[] = [];
  const labeled = join(ROOT, 'fixtures', 'labeled');
  for (const f of readdirSync(labeled).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(labeled, f), 'utf8').split('\n')) if (line) texts.push((JSON.parse(line) as { text: string }).text);
  }
  if (existsSync(CORPUS)) {
    for (const f of readdirSync(CORPUS).filter((f) => f.endsWith('.jsonl'))) {
      const lines = readFileSync(join(CORPUS, f), 'utf8').split('\n').filter(Boolean);
      for (const line of lines.slice(0, 4000)) texts.push((JSON.parse(line) as { text: string }).text);
    }
  }
  return texts;
}

describe('anchored pattern matching', () => {
  it('finds what a global scan finds, for every built-in pattern on real replies', async () => {
    const set = compileRules(await loadPacks({ packs: [join(BUILTIN_RULES_DIR, 'extra')] }));
    const rules = set.rules.flatMap((r) => r.matchers.map((m) => ({ id: r.spec.id, m })));
    expect(rules.length).toBeGreaterThan(100);
    expect(rules.filter((r) => r.m.anchors).length).toBeGreaterThan(rules.length * 0.9);
    const examples = set.rules.flatMap((r) => [...(r.spec.examples?.bad ?? []), ...(r.spec.examples?.good ?? [])]);
    // One long text (the anchored path) and the short texts one by one (mostly the global fallback).
    const texts = [...examples, ...realTexts()].map((t) => normalize(t).text);
    const long = texts.join('\n');
    let matches = 0;
    const differ: string[] = [];
    for (const { id, m } of rules) {
      const anchored = patternMatches(m, long, rangesFor(m, long), true);
      const scanned = patternMatches(globalOnly(m), long, undefined);
      matches += scanned.length;
      if (JSON.stringify(anchored) !== JSON.stringify(scanned)) differ.push(`${id}: ${m.global.source.slice(0, 60)}`);
    }
    for (const t of examples.map((e) => normalize(e).text)) {
      for (const { id, m } of rules) {
        if (JSON.stringify(patternMatches(m, t, rangesFor(m, t), true)) !== JSON.stringify(patternMatches(globalOnly(m), t, undefined))) differ.push(`${id} on ${t}`);
      }
    }
    expect(differ).toEqual([]);
    expect(matches).toBeGreaterThan(500);
  });

  it('requires only words that every match of the pattern holds (built-in patterns on real replies)', async () => {
    const set = compileRules(await loadPacks({ packs: [join(BUILTIN_RULES_DIR, 'extra')] }));
    const required = set.rules.flatMap((r) => r.matchers.filter((m) => m.requires?.length).map((m) => ({ id: r.spec.id, m })));
    expect(required.length).toBeGreaterThan(100);
    const texts = [...set.rules.flatMap((r) => r.spec.examples?.bad ?? []), ...realTexts()].map((t) => normalize(t).text);
    let checked = 0;
    const missing: string[] = [];
    for (const t of texts) {
      for (const { id, m } of required) {
        for (const match of patternMatches(globalOnly(m), t, undefined)) {
          checked++;
          const found = t.slice(match.start, match.end);
          for (const words of m.requires!) if (!words.some((w) => found.includes(w))) missing.push(`${id}: 「${found}」 holds none of ${words.join('|')}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  it('requires nothing that a match may lack: optional parts, lookarounds, one of several alternatives', () => {
    const req = (source: string) => patternRequirements(source, 'gu', patternAnchors(source, 'gu'));
    // anchored on 您|你 (common): 才 or 先 is required besides
    expect(req('(您|你)[^,]{1,20}(才|先)')).toEqual([['才', '先']]);
    expect(req('(您|你)[^,]{1,20}(才|先)?')).toEqual([]); // optional
    expect(req('(您|你)[^,]{1,20}(?=(才|先))')).toEqual([]); // a lookahead consumes nothing
    expect(req('(您|你)[^,]{1,20}(?!(才|先))')).toEqual([]);
    expect(req('(您|你)[^,]{1,20}才|(您|你)[^,]{1,20}先')).toEqual([]); // alternatives at the top
    expect(req('您[^,]{1,20}(您|你)')).toEqual([]); // every match's anchor 您 is one of them already
    // anchored on 退款|退货, the two other words it needs
    expect(req('(您|你)[^,]{1,20}(才|先)[^,]{0,5}(退款|退货)')).toEqual([
      ['您', '你'],
      ['才', '先'],
    ]);
  });

  it('finds what a global scan finds on generated text, for patterns that probe the analysis', () => {
    const patterns = [
      '(您|你)[^,。]{0,4}(不|没)(看|读)',
      '(?<=(您|你)[^,。]{0,3})(投诉|抱怨)(?!电话)',
      '(?<![我您])(快递|物流)(那边)?(的)?(问题|错)',
      '(一定|肯定)?(会|能)(在)?(明天|今天)',
      '𠮶(边|度)|[一二三0-9]+(天|次)了',
      '(\\p{Script=Han})不\\1',
      '(说|讲)(了|过)?[一二两三]{1,2}(遍|次)',
      '不[^。]{0,2}(会|能)|(保证|包)(您|你)',
      '(早|早就)?(跟|和)(您|你)(说|讲)?[^,]{0,3}过',
      'a?b?',
      '😀{1,2}(好|坏)',
      '(?:是|系)(?!统)(您|你)',
    ];
    const alphabet = [...'您你不没看读投诉抱怨电话我快递物流那边的问题错一定肯定会能在明天今天𠮶度二三0天次了说讲过两遍保证包早就跟和是系统,。 a b😀好坏'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts: string[] = [];
    for (let n = 0; n < 300; n++) {
      let t = '';
      const length = 1 + Math.floor(random() * 400);
      while (t.length < length) t += alphabet[Math.floor(random() * alphabet.length)];
      texts.push(t);
    }
    texts.push(texts.join(''));
    let anchoredPatterns = 0;
    for (const source of patterns) {
      const anchors = patternAnchors(source, 'gu');
      if (anchors) anchoredPatterns++;
      const m: PatternMatcher = { global: new RegExp(source, 'gu'), anchors };
      for (const t of texts) {
        // The anchored path whatever the number of candidates: it must be exact, not just usually taken.
        const forced = patternMatches(m, t, rangesFor(m, t), true);
        expect([source, t, forced]).toEqual([source, t, patternMatches(globalOnly(m), t, undefined)]);
      }
    }
    expect(anchoredPatterns).toBeGreaterThanOrEqual(patterns.length - 2);
  });

  it('scans as matchAll does: every non-empty match, past empty ones and whole surrogate pairs', () => {
    const sources = ['a*', '(?=您)', '\\p{Script=Han}*', '您?', '(?<=保)证|', '😀|x*', '[^。]{0,3}', '保证', '.'];
    const texts = ['', 'a', 'aaba', '您好您', '保证😀保证x', '😀😀a😀', '\uD800您\uDC00', '。。您好。'];
    let compared = 0;
    for (const source of sources) {
      for (const text of texts) {
        const re = new RegExp(source, 'gu');
        const expected = [...text.matchAll(new RegExp(source, 'gu'))].filter((m) => m[0].length > 0).map((m) => ({ start: m.index, end: m.index + m[0].length }));
        expect(patternMatches({ global: re, anchors: null }, text, undefined), `${source} on ${JSON.stringify(text)}`).toEqual(expected);
        expect(re.lastIndex).toBe(0);
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('claims no anchors where a match need not contain one', () => {
    expect(patternAnchors('a?b?', 'gu')).toBeNull(); // can match the empty string
    expect(patternAnchors('(您|你)?[^,]{0,3}', 'gu')).toBeNull();
    expect(patternAnchors('[^,]+不', 'gu')).toBeNull(); // unbounded before the only literal
    expect(patternAnchors('不', 'giu')).toBeNull(); // case-insensitive
    expect(patternAnchors('(.)\\1不', 'gu')).toBeNull(); // the backreference's length is unknown
    expect(patternAnchors('(', 'gu')).toBeNull(); // not a valid expression
    expect(patternAnchors('(您|你)[^,]{0,3}(才|先)来', 'gu')).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: expect.stringMatching(/^(才|先)来$/), min: 1 })]),
    );
  });
});

describe('KeywordIndex', () => {
  it('finds every occurrence of every keyword, overlapping ones included, as indexOf does', () => {
    const keywords = ['保证', '保证金', '证', '不能', '不', '能不能', '𠮶边', '边', '我保证'];
    const index = new KeywordIndex([...keywords, '', '保证']);
    expect(index.size).toBe(keywords.length);
    const alphabet = [...'保证金不能我𠮶边,'];
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      let text = '';
      while (text.length < 60) text += alphabet[Math.floor(random() * alphabet.length)];
      const found: string[] = [];
      index.forEach(text, (k, at) => found.push(`${at}:${k}`));
      const expected: string[] = [];
      for (const k of keywords) for (let at = text.indexOf(k); at !== -1; at = text.indexOf(k, at + 1)) expected.push(`${at}:${k}`);
      expect(found.sort()).toEqual(expected.sort());
    }
  });

  it('records quiet keywords without visiting them', () => {
    const index = new KeywordIndex(['保证', '的', '一定会'], new Set(['的', '一定会']));
    const seen = new Int32Array(index.size);
    const visited: string[] = [];
    index.forEach('我保证的，一定会的', (k, at) => visited.push(`${at}:${k}`), seen, 7);
    expect(visited).toEqual(['1:保证']);
    expect([...seen]).toEqual([7, 7, 7]);
    index.forEach('没有', () => visited.push('?'), seen, 8);
    expect(visited).toHaveLength(1);
    expect([...seen]).toEqual([7, 7, 7]);
  });
});
