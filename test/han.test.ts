// The Han ranges that stand in for \p{Script=Han} in every pattern huashu compiles (src/normalize/han.ts).
import { describe, expect, it } from 'vitest';
import { HAN_RANGES, withHanRanges } from '../src/normalize/han.js';
import { lintText } from '../src/index.js';
import { parsePack } from '../src/rules/parse.js';
import { compileRules } from '../src/rules/compile.js';

describe('Han ranges', () => {
  it('match exactly the assigned characters \\p{Script=Han} matches, in this Node', () => {
    const property = /\p{Script=Han}/u;
    const ranges = new RegExp(`[${HAN_RANGES}]`, 'u');
    const unassigned = /\p{Cn}/u;
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (!unassigned.test(c) && property.test(c) !== ranges.test(c)) differ.push(cp.toString(16));
    }
    expect(differ.slice(0, 20)).toEqual([]);
  });

  it('are written in place of the property, bracketed outside a class and bare inside one', () => {
    expect(withHanRanges('(\\p{Script=Han})就\\1')).toBe(`([${HAN_RANGES}])就\\1`);
    expect(withHanRanges('[^\\p{Script=Han}，]')).toBe(`[^${HAN_RANGES}，]`);
    expect(withHanRanges('\\p{sc=Han}{2}')).toBe(`[${HAN_RANGES}]{2}`);
    // an escaped backslash followed by p{…} is text, and other properties stay as they are
    expect(withHanRanges('\\\\p{Script=Han}')).toBe('\\\\p{Script=Han}');
    expect(withHanRanges('[\\s\\p{P}]')).toBe('[\\s\\p{P}]');
  });

  it('a team pack written with \\p{Script=Han} matches Han text with it, at the right place', () => {
    const yaml = [
      'pack: team',
      'rules:',
      '  - id: team/tautology',
      '    kind: pattern',
      '    category: negative',
      '    severity: warning',
      "    message: 同義反覆",
      '    match:',
      "      patterns: ['(\\p{Script=Han}{1,2})就是\\1']",
    ].join('\n');
    const set = compileRules([parsePack(yaml, 'team.yaml')]);
    const text = '您好，沒貨就是沒貨喔。';
    const found = lintText(text, set).filter((f) => f.ruleId === 'team/tautology');
    expect(found.map((f) => text.slice(f.offset, f.offset + f.length))).toEqual(['沒貨就是沒貨']);
  });
});
