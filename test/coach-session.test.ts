// The coach's state machine and the edits it shares with `huashu fix`, on the real engine and rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/engine/lint.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleSet } from '../src/rules/compile.js';
import { applyEdits, editFor, fixText, sentenceSpan } from '../src/edits/apply.js';
import { CoachSession } from '../src/coach/session.js';

let rules: RuleSet;
const lint = (text: string) => lintText(text, rules);

beforeAll(async () => {
  rules = await loadRules();
});

const TW_DRAFT = '您好，您的包裹一定會在明天送到，我保證。\n關於您的投訴，我們會盡快處理。\n';

describe('edits', () => {
  it('finds the sentence around a span, closing punctuation optional, leading spaces skipped', () => {
    const text = '第一句。  您的包裹一定會送到！！\n下一行';
    const at = text.indexOf('一定');
    expect(text.slice(sentenceSpan(text, at, 2).start, sentenceSpan(text, at, 2).end)).toBe('您的包裹一定會送到！！');
    const bare = sentenceSpan(text, at, 2, false);
    expect(text.slice(bare.start, bare.end)).toBe('您的包裹一定會送到');
  });

  it('a replace swaps the span; a rewrite replaces the sentence, its 。 too when it brings one', () => {
    const text = '好的。您的包裹一定會在明天送到，我保證！\n謝謝';
    const f = { offset: text.indexOf('一定'), length: 2 };
    expect(applyEdits(text, [editFor(text, f, { kind: 'replace', text: '預計' })])).toBe('好的。您的包裹預計會在明天送到，我保證！\n謝謝');
    expect(applyEdits(text, [editFor(text, f, { kind: 'rewrite', text: '我們會盡快處理。' })])).toBe('好的。我們會盡快處理。\n謝謝');
    expect(applyEdits(text, [editFor(text, f, { kind: 'rewrite', text: '我們會盡快處理' })])).toBe('好的。我們會盡快處理！\n謝謝');
  });

  it('fixText applies only safe replacements, only inside the flagged spans, and is idempotent', () => {
    const text = '關於您的投訴，我們一定會處理好。\r\n您的投訴已收到。';
    const once = fixText(text, lint);
    // Taiwan vocabulary in a Taiwan draft: 回饋, not the mainland 反饋
    expect(once.text).toBe('關於您的回饋，我們一定會處理好。\r\n您的回饋已收到。');
    expect(once.fixed.map((f) => f.ruleId)).toEqual(['negative/complaint-noun', 'negative/complaint-noun']);
    // the unsafe overpromise is left for the agent
    expect(once.remaining.map((f) => f.ruleId)).toContain('overpromise/definitely-will');
    const twice = fixText(once.text, lint);
    expect(twice.text).toBe(once.text);
    expect(twice.fixed).toEqual([]);
  });

  it('renders the safe replacement in the draft script (simplified)', () => {
    expect(fixText('关于您的投诉，我们已经收到。', lint).text).toBe('关于您的反馈，我们已经收到。');
  });
});

describe('CoachSession', () => {
  it('walks the findings in text order and applying the first alternatives clears them', () => {
    const s = new CoachSession(TW_DRAFT, lint);
    expect(s.queue.map((f) => f.ruleId)).toEqual(['overpromise/definitely-will', 'overpromise/guarantee', 'negative/complaint-noun']);
    const r1 = s.apply(0);
    expect(r1.before).toBe(3);
    expect(r1.after).toBe(2);
    expect(s.text).toBe('您好，您的包裹預計會在明天送到，我保證。\n關於您的投訴，我們會盡快處理。\n');
    // 我保證 closing the sentence: 會盡力 does not fit there (我會盡力。), so the first alternative is the
    // sentence rewritten from its own facts
    expect(s.current?.suggestions.map((x) => x.kind)).not.toContain('replace');
    s.apply(0);
    s.apply(0);
    expect(s.done).toBe(true);
    expect(s.text).toBe('您好，您的包裹預計會在明天送到，如有變動我們會第一時間通知您。\n關於您的回饋，我們會盡快處理。\n');
    // a clean text, as lint sees it
    expect(lint(s.text)).toEqual([]);
  });

  it('undo takes back apply, skip and ignore one step at a time', () => {
    const s = new CoachSession(TW_DRAFT, lint);
    s.apply(0);
    s.skip();
    expect(s.current?.ruleId).toBe('negative/complaint-noun');
    s.ignoreRule();
    expect(s.done).toBe(true);
    expect(s.undo()?.kind).toBe('ignore');
    expect(s.current?.ruleId).toBe('negative/complaint-noun');
    expect(s.undo()?.kind).toBe('skip');
    expect(s.current?.ruleId).toBe('overpromise/guarantee');
    expect(s.undo()?.kind).toBe('apply');
    expect(s.text).toBe(TW_DRAFT);
    expect(s.changed).toBe(false);
    expect(s.undo()).toBeUndefined();
  });

  it('a skipped finding stays skipped when the text around it changes', () => {
    const s = new CoachSession('我保證明天送到。您的投訴已收到。', lint);
    expect(s.current?.ruleId).toBe('overpromise/guarantee');
    s.skip();
    expect(s.current?.ruleId).toBe('negative/complaint-noun');
    s.apply(0); // 您的投訴 → 您的回饋
    expect(s.text).toBe('我保證明天送到。您的回饋已收到。');
    expect(s.done).toBe(true);
    // the skipped finding is still there: lint reports it, the coach passes over it
    expect(s.findings.map((f) => f.ruleId)).toEqual(['overpromise/guarantee']);
  });

  it('a rewrite replaces the whole sentence; a manual edit replaces the sentence with the agent’s words', () => {
    const s = new CoachSession('好的。我们不能在周末送货。谢谢！', lint);
    expect(s.current?.ruleId).toBe('negative/refusal');
    expect(s.currentSentence()?.text).toBe('我们不能在周末送货。');
    const r = s.editSentence('我们可以在下周一为您安排送货。');
    expect(s.text).toBe('好的。我们可以在下周一为您安排送货。谢谢！');
    expect(r.after).toBe(0);
    s.undo();
    s.apply(0);
    // the draft's own sentence, given a way forward, in the draft's script (no invented remedy or date)
    expect(s.text).toBe('好的。很抱歉，我们不能在周末送货，我来帮您看看还能怎么处理。谢谢！');
  });

  it('reports findings that a manual edit brings in, and re-lints after every change', () => {
    const s = new CoachSession('您的投訴已收到。', lint);
    const r = s.editSentence('我保證一定會處理好。');
    expect(r.introduced.map((f) => f.ruleId).sort()).toEqual(['overpromise/definitely-will', 'overpromise/guarantee'].sort());
    expect(s.queue.length).toBe(r.after);
    expect(s.current?.ruleId).toBe('overpromise/guarantee');
  });

  it('refuses an alternative that does not exist', () => {
    const s = new CoachSession('您的投訴已收到。', lint);
    expect(() => s.apply(7)).toThrow(RangeError);
  });
});
