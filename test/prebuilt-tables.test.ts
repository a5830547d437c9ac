// The tables built at `npm run build` so that one draft starts fast (the pack cache, with each rule's
// precomputed forms and anchors, the crossing-word table) must give what the slow way gives, and must be
// passed over when what they were built from changed.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, readPack } from '../src/rules/load.js';
import { parsePack } from '../src/rules/parse.js';
import { cachedPack } from '../src/rules/pack-cache.js';
import { compileRules, type RuleSet } from '../src/rules/compile.js';
import type { PackSpec } from '../src/rules/types.js';
import { surelyOnBoundaries } from '../src/segment/crossing.js';
import { addWords, tokenBoundaries } from '../src/segment/index.js';
import { loadRules } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'huashu-tables-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pack cache', () => {
  const builtin = join(BUILTIN_RULES_DIR, 'negative.yaml');

  it('serves a built-in pack exactly as parsing it gives, located in the file the user has', async () => {
    const bytes = readFileSync(builtin);
    expect(cachedPack(bytes, builtin)).toBeDefined();
    const parsed = parsePack(bytes.toString('utf8'), builtin);
    // Aside: what the build adds to each rule (its compiled forms and anchors, checked below) and the
    // patterns' locations, which the cache leaves out (only the backtracking check of users' packs reads them).
    const served = await readPack(builtin);
    expect(served.rules.every((r) => r.precomputed && !r.regexes)).toBe(true);
    expect({ ...served, rules: served.rules.map((r) => ({ ...r, precomputed: undefined })) }).toEqual({
      ...parsed,
      rules: parsed.rules.map((r) => ({ ...r, regexes: undefined })),
    });
    // A copy elsewhere under the same name is the same pack, located where the copy is.
    const copy = join(tmp, 'negative.yaml');
    copyFileSync(builtin, copy);
    const copied = await readPack(copy);
    expect(copied.file).toBe(copy);
    expect(copied.rules.every((r) => r.location.file === copy)).toBe(true);
  });

  it('is passed over for a pack whose bytes differ, even by one message', async () => {
    const text = readFileSync(builtin, 'utf8');
    const rule = /message: (.+)\n/.exec(text)!;
    const edited = join(tmp, 'edited', 'negative.yaml');
    mkdirSync(join(tmp, 'edited'));
    writeFileSync(edited, text.replace(rule[0], 'message: 这条提示改过了\n'));
    expect(cachedPack(readFileSync(edited), edited)).toBeUndefined();
    const pack = await readPack(edited);
    expect(pack.rules.some((r) => r.message === '这条提示改过了')).toBe(true);
    // Another pack of the same name is not a built-in pack either.
    const other = join(tmp, 'other', 'negative.yaml');
    mkdirSync(join(tmp, 'other'));
    writeFileSync(other, 'pack: mine\nrules:\n  - id: mine/no-way\n    category: negative\n    message: 我自己的规则\n    match: { phrases: [没门] }\n');
    expect(cachedPack(readFileSync(other), other)).toBeUndefined();
    expect((await readPack(other)).rules.map((r) => r.id)).toEqual(['mine/no-way']);
  });
});

describe('words the build did not see', () => {
  it('are none for the built-in rules (so a draft never reads the left-out dictionary words) and every phrase of a pack parsed from YAML', async () => {
    expect((await loadRules()).unseenWords).toEqual([]);
    const file = join(BUILTIN_RULES_DIR, 'negative.yaml');
    const parsed = compileRules([parsePack(readFileSync(file, 'utf8'), file)]);
    expect(parsed.unseenWords.length).toBeGreaterThan(50);
    expect(parsed.unseenWords).toEqual(expect.arrayContaining([...parsed.phraseRules.keys()].filter((p) => p.length > 1)));
  });
});

describe('precomputed rules', () => {
  // The compiled set without the specs and models: what the text of the rules compiles to. (Not which
  // words the build saw: a pack parsed from its YAML is by definition one it did not.)
  const compiled = (packs: PackSpec[]) => {
    const { unseenWords: _unseen, ...set }: RuleSet = compileRules(packs);
    return { ...set, keywords: set.keywords.keywords, rules: set.rules.map(({ spec: _spec, classifier: _model, ...text }) => text) };
  };
  for (const name of readdirSync(BUILTIN_RULES_DIR).filter((f) => /\.ya?ml$/i.test(f))) {
    it(`${name}: the cached rules compile to what their YAML compiles to`, () => {
      const file = join(BUILTIN_RULES_DIR, name);
      const bytes = readFileSync(file);
      const cached = cachedPack(bytes, file)!;
      expect(cached.rules.every((r) => r.precomputed)).toBe(true);
      const fromYaml = compiled([parsePack(bytes.toString('utf8'), file)]);
      expect(compiled([cached])).toEqual(fromYaml);
    });
  }
});

describe('crossing-word table', () => {
  // A phrase whose edge a dictionary word crosses is left to jieba; one whose edges no word can cross is
  // decided without it. Either way jieba, with the rules' phrases in its dictionary as lint has them, agrees.
  const cases: [text: string, phrase: string, sure: boolean][] = [
    ['这件有没有的问题', '没有的', false],
    ['没有的话我再帮您看', '没有的', false],
    ['我们这边没有的', '没有的', true],
    ['仓库里没有这种颜色了', '没有这种', true],
  ];
  for (const [text, phrase, sure] of cases) {
    it(`${text} / ${phrase}`, async () => {
      addWords((await loadRules()).words);
      const start = text.indexOf(phrase);
      const end = start + phrase.length;
      expect(surelyOnBoundaries(text, start, end, phrase) === true).toBe(sure);
      const boundaries = [...tokenBoundaries(text)];
      expect(boundaries.includes(start) && boundaries.includes(end)).toBe(sure);
    });
  }
});
