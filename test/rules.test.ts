// Every built-in rule's own examples, run automatically: bad ones must be flagged by that rule,
// good ones must not be. Plus the pack validator's error messages.
import { describe, expect, it } from 'vitest';
import { lintText, loadRules, parsePack } from '../src/index.js';

const rules = await loadRules();

describe('built-in rule examples', () => {
  for (const rule of rules.rules) {
    const { id, examples } = rule.spec;
    it(`${id} has examples`, () => {
      expect(examples?.bad?.length ?? 0).toBeGreaterThan(0);
      expect(rule.spec.suggest.length).toBeGreaterThan(0);
      for (const s of rule.spec.suggest) expect(s.source?.doc).toMatch(/^00[0-4]_[0-9a-f]{16}\.txt$/);
    });
    for (const bad of examples?.bad ?? []) {
      it(`${id} flags: ${bad}`, () => {
        expect(lintText(bad, rules).map((f) => f.ruleId)).toContain(id);
      });
    }
    for (const good of examples?.good ?? []) {
      it(`${id} passes: ${good}`, () => {
        expect(lintText(good, rules).map((f) => f.ruleId)).not.toContain(id);
      });
    }
  }
});

describe('pack validation', () => {
  const base = 'pack: team\nrules:\n  - id: team/x\n    category: negative\n    message: m\n';
  it('reports an unknown key with a hint and its position', () => {
    expect(() => parsePack(base + '    match: { phrases: [不能] }\n    sugest: []\n', 'team.yaml')).toThrow(
      "team.yaml:7:5: unknown key 'sugest' in rule 'team/x' — did you mean 'suggest'?",
    );
  });
  it('refuses `precomputed`: only the build writes it, for a cached built-in rule', () => {
    expect(() => parsePack(base + '    match: { phrases: [不能] }\n    precomputed: { forms: { 不能: 能 }, anchors: [] }\n', 'team.yaml')).toThrow(
      "team.yaml:7:5: unknown key 'precomputed' in rule 'team/x'",
    );
  });
  it('reports a bad regular expression with the rule id', () => {
    expect(() => parsePack(base + "    kind: pattern\n    match: { patterns: ['(不能'] }\n", 'team.yaml')).toThrow(
      /team\.yaml:7:\d+: rule 'team\/x': invalid regular expression/,
    );
  });
  it('reports a wrong severity and invalid YAML', () => {
    expect(() => parsePack(base + '    severity: fatal\n    match: { phrases: [不能] }\n', 't.yaml')).toThrow(/'severity' must be one of error \| warning \| info/);
    expect(() => parsePack('pack: [', 't.yaml')).toThrow(/t\.yaml:\d+:\d+: invalid YAML/);
  });
});
