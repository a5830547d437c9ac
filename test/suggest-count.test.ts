// countMatches and replaceEach (src/suggest/count.ts) stand in for `match` and `replace` with global
// patterns in the suggestion builder (they leave V8 to compile a pattern once it is used often): the same
// answers on the builder's own patterns and drafts, written for this test.
import { describe, expect, it } from 'vitest';
import { countMatches, replaceEach } from '../src/suggest/count.js';
import { hedgeRewrite } from '../src/suggest/rewrite.js';

const TEXTS = [
  '',
  '您的包裹一定會在明天送到，我保證。',
  '我们一定会帮您修好，肯定可以在周五前完成，绝对没问题',
  '呢個我哋梗係會幫你跟進嘅，唔使擔心',
  '退款绝对不会超过三天，百分之百会在本周内到账，百分百放心',
  '一定一定一定',
];
const PATTERNS = [
  /(一定|肯定|絕對|绝对|鐵定|铁定|必定|必然|百分之?百|百分百|梗係|梗系)(會|会|能|可以|可)?(在|喺)?/gu,
  /[嘅唔咗冇喺哋啲嚟嗰乜嘢噉咁啱攞睇俾諗搵]|係(?!統|數)/gu,
  /物流|快递|包裹|配送|送货|送达/g,
  /x*/g, // empty matches: counted as match() counts them
];

describe('countMatches', () => {
  it('counts as String.prototype.match does, and leaves lastIndex at 0', () => {
    for (const re of PATTERNS) {
      for (const t of TEXTS) {
        expect(countMatches(re, t), `${re} on ${t}`).toBe(t.match(re)?.length ?? 0);
        expect(re.lastIndex).toBe(0);
      }
    }
  });
});

describe('replaceEach', () => {
  it('replaces as String.prototype.replace does, with the same arguments to the function', () => {
    const re = PATTERNS[0]!;
    for (const t of TEXTS) {
      const fn = (m: string, adverb: string, modal: string | undefined, at: string | undefined, index: number) => `<${m}|${adverb}|${modal ?? '-'}|${at ?? '-'}|${index}>`;
      expect(replaceEach(re, t, fn)).toBe(t.replace(re, fn));
    }
  });

  it('refuses a pattern that matches the empty string', () => {
    expect(() => replaceEach(/x*/g, 'abc', () => '')).toThrow(/empty match/);
  });

  it('keeps the hedge rewrite as it was', () => {
    expect(hedgeRewrite('您的包裹一定會在明天送到，我保證。', 'none', { script: 'traditional-tw', cantonese: false })).toBe('您的包裹預計明天送到，如有變動我們會第一時間通知您。');
  });
});
