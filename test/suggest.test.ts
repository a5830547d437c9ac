// Suggestions that fit the draft (src/suggest): replacements only where they fit their frame, rewrites
// built from the draft's own sentence, model sentences by topic, in the draft's script and register, and
// never a suggestion that would itself be flagged, carries a blank, or adds a promise.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, editFor } from '../src/edits/apply.js';
import type { Finding } from '../src/engine/findings.js';
import { lintText } from '../src/engine/lint.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleSet } from '../src/rules/compile.js';
import { selfTest } from '../src/rules/selftest.js';
import { topicOf } from '../src/suggest/models.js';
import { isCantonese } from '../src/suggest/register.js';

let rules: RuleSet;
const lint = (text: string) => lintText(text, rules);
const of = (text: string, ruleId: string): Finding => {
  const f = lint(text).find((x) => x.ruleId === ruleId);
  if (!f) throw new Error(`${ruleId} does not flag ${text}`);
  return f;
};
const results = (text: string, f: Finding) => f.suggestions.map((s) => applyEdit(text, editFor(text, f, s)));

beforeAll(async () => {
  rules = await loadRules();
});

describe('replacements that fit their slot', () => {
  it('我保證您週五拿到 is never 我會盡力您週五拿到: the replacement made for a clause is offered', () => {
    const text = '我保證您週五拿到。';
    const out = results(text, of(text, 'overpromise/guarantee'));
    expect(out).not.toContain('我會盡力您週五拿到。');
    expect(out[0]).toBe('我會盡力讓您週五拿到。');
  });

  it('我同您打包票 is never 我同您會盡力 (a preposition and its object before the span)', () => {
    const text = '我同您打包票，聽日送到。';
    const f = of(text, 'overpromise/guarantee');
    expect(f.suggestions.filter((s) => s.kind === 'replace')).toEqual([]);
    expect(results(text, f).some((r) => r.includes('我同您會盡力'))).toBe(false);
  });

  it('我们一定会修好 is never 我们预计会修好: the agent’s own doing is rewritten, with effort, not an estimate', () => {
    const text = '您放心，我们一定会修好。';
    const f = of(text, 'overpromise/definitely-will');
    expect(f.suggestions.some((s) => s.kind === 'replace' && s.text === '预计')).toBe(false);
    expect(results(text, f)[0]).toBe('您放心，我们会尽力修好，有进展会第一时间告诉您。');
  });

  it('an estimate fits what a thing will do: 您的退款一定會在週三到帳 → 預計', () => {
    const text = '您的退款一定會在週三到帳。';
    const f = of(text, 'overpromise/definitely-will');
    expect(f.suggestions[0]).toMatchObject({ kind: 'replace', text: '預計' });
    expect(results(text, f)[0]).toBe('您的退款預計會在週三到帳。');
  });

  it('问题 → 情况 only where it is a problem the customer has, not a question asked', () => {
    expect(of('您的問題我們已經記錄。', 'negative/problem-noun').suggestions[0]).toMatchObject({ kind: 'replace', text: '情況', safe: true });
    const asked = lint('您這個問題問得好。').find((f) => f.ruleId === 'negative/problem-noun');
    expect(asked?.suggestions.some((s) => s.kind === 'replace') ?? false).toBe(false);
  });

  it('`huashu rules test` checks every replacement example and misfit of the built-in packs', () => {
    const report = selfTest(rules);
    const about = report.problems.filter((p) => p.message.startsWith('replacement'));
    expect(about).toEqual([]);
    expect(rules.rules.flatMap((r) => r.spec.suggest).filter((s) => s.kind === 'replace').every((s) => s.fits && s.examples?.length)).toBe(true);
  });
});

describe('rewrites built from the draft', () => {
  it('keeps the time, the object and the action: 您的退款一定會在週三到帳 → 預計週三到帳, and says what happens if it changes', () => {
    const text = '您的退款一定會在週三到帳。';
    expect(results(text, of(text, 'overpromise/definitely-will'))).toContain('您的退款預計週三到帳，如有變動我們會第一時間通知您。');
  });

  it('a refusal keeps what is refused and gets a way forward, not a canned repair script', () => {
    const text = '好的。這個訂單不能修改的哦。';
    const f = of(text, 'negative/refusal');
    expect(f.suggestions[0]!.text).toBe('很抱歉，這個訂單不能修改的哦，我來幫您看看還能怎麼處理。');
    expect(f.suggestions.some((s) => /維修|替代品/.test(s.text))).toBe(false);
  });

  it('a sarcastic emoticon is deleted in place, the rest of the sentence kept', () => {
    const text = '您好，請提供手機號碼，我們為您核實[呵呵]';
    const f = of(text, 'negative/sarcastic-emoticon');
    expect(f.suggestions[0]).toMatchObject({ kind: 'replace', text: '' });
    expect(results(text, f)[0]).toBe('您好，請提供手機號碼，我們為您核實');
  });

  it("a rule says in its pack how its findings are answered (answer:), and a team rule may say it too", async () => {
    const { compileRules, parsePack } = await import('../src/index.js');
    const team = (answer: string) =>
      compileRules([
        parsePack(
          `pack: team\nrules:\n  - id: team/sigh\n    kind: phrase\n    category: negative\n    severity: warning\n    message: m\n    match: { phrases: [唉又来了] }\n${answer}`,
          'team.yaml',
        ),
      ]);
    const first = (set: ReturnType<typeof team>) => lintText('唉又来了，您的快递还在路上。', set)[0]!.suggestions.map((x) => x.text).join(' | ');
    // by default a negative rule is answered with a way forward; with answer: courtesy, with acknowledgement
    expect(first(team(''))).toMatch(/办法|方法/);
    expect(first(team('    answer: courtesy\n'))).toMatch(/明白您的意思|理解/);
    expect(() => team('    answer: polite\n')).toThrow(/'answer' must be one of expectation \| alternative \| ownership \| courtesy \| handoff/);
  });

  it('the model sentence for a refusal is itself offerable, in Mandarin and in Cantonese (the safety net sees its own offer)', () => {
    const zh = of('亲，这个订单地址是改不了的哦', 'negative/refusal').suggestions.map((x) => x.text);
    expect(zh).toContain('很抱歉这个暂时处理不了，我帮您看看还有什么其他办法。');
    const yue = of('呢張單嘅地址改唔到㗎。', 'negative/cannot-do').suggestions.map((x) => x.text);
    expect(yue.some((t) => /我幫你睇下仲有咩其他方法/.test(t))).toBe(true);
  });

  it('model sentences follow the reply’s topic', () => {
    expect(topicOf('您的包裹物流显示还在路上')).toBe('delivery');
    expect(topicOf('退款已经原路退回')).toBe('refund');
    expect(topicOf('宽带网速很慢')).toBe('network');
    const blame = of('這是您自己沒看清楚密碼規則。', 'blame/customer-fault');
    expect(blame.suggestions.some((s) => s.text.includes('物流'))).toBe(false);
  });

  it('no suggestion on any bad example of the built-in packs has a blank, translationese, an invented time or a new promise, or is flagged itself', () => {
    const promise = /一定|保證|保证|立即|立刻|馬上|马上|絕對|绝对|肯定/;
    const blank = /[(（【]\s*(…|[^()（）【】]{0,8}(時間|时间|方案|方法|團隊|团队|原因)[^()（）【】]{0,4})\s*[)）】]/;
    let checked = 0;
    for (const rule of rules.rules) {
      for (const text of rule.spec.examples?.bad ?? []) {
        for (const f of lint(text)) {
          for (const s of f.suggestions) {
            checked++;
            const after = applyEdit(text, editFor(text, f, s));
            const where = `${f.ruleId} on ${text}: ${s.text}`;
            expect(blank.test(s.text), where).toBe(false);
            expect(/提請我們注意|提请我们注意|達到相同|达到相同/.test(s.text), where).toBe(false);
            // a time or amount in a suggestion comes from the draft
            for (const n of s.text.match(/[0-9]+/g) ?? []) expect(text.includes(n), where).toBe(true);
            // what it adds promises nothing new
            const added = s.kind === 'replace' ? s.text : s.text.replace(/[^\p{Script=Han}]/gu, '');
            if (promise.test(added)) expect(promise.exec(added)!.every((w) => text.includes(w)), where).toBe(true);
            // and the result is not flagged for anything the draft was not
            const before = lint(text).map((x) => `${x.ruleId}:${x.excerpt}`);
            for (const g of lint(after)) if (g.ruleId === f.ruleId && g.offset === f.offset) expect.fail(`${where}: still flagged`);
            for (const g of lint(after)) expect(before.includes(`${g.ruleId}:${g.excerpt}`), `${where}: new ${g.ruleId} 「${g.excerpt}」 in ${after}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('localised wording', () => {
  it('Taiwan drafts get Taiwan vocabulary (回饋, not 反饋); simplified drafts simplified', () => {
    expect(of('關於您的投訴，我們已經收到。', 'negative/complaint-noun').suggestions[0]!.text).toBe('回饋');
    expect(of('关于您的投诉，我们已经收到。', 'negative/complaint-noun').suggestions[0]!.text).toBe('反馈');
    // the finding's message too: it tells a Taiwan agent which word to use
    expect(of('關於您的投訴，我們已經收到。', 'negative/complaint-noun').message).toMatch(/「回饋」/);
    expect(of('關於您的投訴，我們已經收到。', 'negative/complaint-noun').message).not.toMatch(/反饋|詞匯/);
    expect(of('关于您的投诉，我们已经收到。', 'negative/complaint-noun').message).toMatch(/「反馈」/);
  });

  it('Cantonese drafts are answered in Cantonese (我哋, 你, 話你知), not formal written Chinese', () => {
    expect(isCantonese('我哋一定幫你搞掂')).toBe(true);
    expect(isCantonese('我們一定幫您處理')).toBe(false);
    const text = '我哋一定會喺聽日幫你搞掂佢。';
    const rewrites = of(text, 'overpromise/definitely-will').suggestions.filter((s) => s.kind === 'rewrite');
    expect(rewrites.length).toBeGreaterThan(0);
    for (const s of rewrites) {
      expect(s.text).not.toMatch(/您|我們|告訴/);
      expect(s.text).toMatch(/我哋|你/);
    }
  });
});
