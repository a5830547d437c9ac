import { describe, expect, it } from 'vitest';
import { detectScript, lintText, loadRules, normalize, toOriginalSpan, compileRules, parsePack } from '../src/index.js';

const rules = await loadRules();

/** Every finding must point at exactly its excerpt, by offset and by line/column. */
function expectExactSpans(text: string) {
  const findings = lintText(text, rules);
  const lines = text.split(/\r\n|\r|\n/);
  for (const f of findings) {
    expect(text.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
    const line = lines[f.line - 1]!;
    const cps = [...line];
    expect(cps.slice(f.column - 1, f.column - 1 + [...f.excerpt].length).join('')).toBe(f.excerpt);
  }
  return findings;
}

describe('normalize', () => {
  it('maps traditional, full-width and invisible characters back to the original exactly', () => {
    const original = '您的問題１００％會在２４小時內解\u200b決😀';
    const n = normalize(original);
    expect(n.text).toBe('您的问题100%会在24小时内解决😀');
    const at = n.text.indexOf('100%');
    const span = toOriginalSpan(n, at, at + 4);
    expect(original.slice(span.offset, span.offset + span.length)).toBe('１００％');
    const jie = n.text.indexOf('解决');
    const s2 = toOriginalSpan(n, jie, jie + 2);
    expect(original.slice(s2.offset, s2.offset + s2.length)).toBe('解\u200b決');
  });

  it('drops the pinyin readings of garbled web copies', () => {
    expect(normalize('客戶(hù)投訴的問(wèn)題').text).toBe('客户投诉的问题');
    expect(normalize('請看說明(附件)').text).toBe('请看说明(附件)');
  });

  it('keeps simplified characters that variant tables list (么, 台, 才)', () => {
    expect(normalize('为什么 台湾 才').text).toBe('为什么 台湾 才');
  });

  it('keeps its offset map monotonic and total', () => {
    const n = normalize('a\u3000\u3000b　問題\r\n𠀋測試');
    expect(n.origStart.length).toBe(n.text.length);
    for (let i = 1; i < n.origStart.length; i++) expect(n.origStart[i]!).toBeGreaterThanOrEqual(n.origStart[i - 1]!);
  });
});

describe('script detection', () => {
  it('tells simplified, Taiwan and Hong Kong drafts apart', () => {
    expect(detectScript('您的包裹一定会在明天送到').script).toBe('simplified');
    expect(detectScript('您的包裹一定會在明天送到').script).toBe('traditional-tw');
    expect(detectScript('呢個問題唔關我哋事，你搵返速遞公司').script).toBe('traditional-hk');
  });
});

describe('lintText', () => {
  it('finds an overpromise in the issue example and suggests in the draft script', () => {
    const trad = expectExactSpans('您的包裹一定會在明天送到,我保證。');
    expect(trad.map((f) => f.ruleId)).toEqual(['overpromise/definitely-will', 'overpromise/guarantee']);
    expect(trad[0]!.suggestions[0]!.text).toBe('預計');
    // the draft's own sentence rewritten: its object and time kept, the certainty made an estimate
    expect(trad[0]!.suggestions[1]!.text).toBe('您的包裹預計明天送到,如有變動我們會第一時間通知您。');
    const simp = lintText('您的包裹一定会在明天送到,我保证。', rules);
    expect(simp[0]!.suggestions[1]!.text).toBe('您的包裹预计明天送到,如有变动我们会第一时间通知您。');
    expect(simp[0]!.message).toMatch(/绝对承诺/);
  });

  it('respects token boundaries: 保證金 is not 保證', () => {
    expect(lintText('保證金會在三個工作日內退回。', rules).map((f) => f.excerpt)).not.toContain('保證');
    expect(lintText('我保證三個工作日內退回。', rules).map((f) => f.excerpt)).toEqual(['保證']);
  });

  it('does not flag negated or hedged promises, empathy or advice', () => {
    for (const clean of [
      '我們無法保證明天送到,但會盡力。',
      '这一定很令人沮丧，很抱歉。',
      '請您一定保管好密碼。',
      '这在一定程度上会影响时效。',
      '我们不一定能在明天送到，今晚前给您答复。',
      '預計明天一定能送到。',
      '不知道您是否方便提供訂單號?',
      '麻烦您提供一下订单号。',
      '不好意思，让您久等了。',
      '您应该会在三天内收到。',
      '雖然無法立即退款,但可以先為您換貨。',
      '请问您是否已经重新开机?',
      '是我们的疏忽，非常抱歉。',
    ]) {
      expect(lintText(clean, rules).filter((f) => f.severity !== 'info'), clean).toEqual([]);
    }
  });

  it('flags refusals, dead ends and blame in both scripts', () => {
    const cases: Array<[string, string]> = [
      ['亲，这个没办法的哦', 'negative'],
      ['這個我不知道。', 'negative'],
      ['這個不歸我管。', 'negative'],
      ['您的投訴我們會處理。', 'negative'],
      ['是您沒看清楚說明。', 'blame'],
      ['都怪物流太慢了。', 'blame'],
      ['我是新來的,不太清楚。', 'blame'],
      ['您為什麼不先看說明書?', 'blame'],
      ['唔關我事。', 'negative'],
    ];
    for (const [text, category] of cases) {
      expect(lintText(text, rules).map((f) => f.category), text).toContain(category);
    }
  });

  it('keeps exact spans for traditional, mixed, full-width, emoji and CRLF input', () => {
    for (const text of [
      '您好😀，您的問題１００％會在２４小時內解決。\r\n是您自己沒看清楚。',
      '客戶(hù)您好,這個問(wèn)題我们一定會处理好,我保證。\n\n都怪物流。',
      '\u200b保\u200b證\u200b明天到',
    ]) {
      expect(expectExactSpans(text).length).toBeGreaterThan(0);
    }
  });

  it('judges each line on its own: an alternative on another line does not soften a refusal', () => {
    const findings = lintText('這個不能退。\n您可以申請換貨。', rules);
    expect(findings.map((f) => f.line)).toEqual([1]);
  });

  it('filters by category and severity', () => {
    const text = '我保證明天到,這個沒辦法改。';
    expect(lintText(text, rules, { only: ['negative'] }).every((f) => f.category === 'negative')).toBe(true);
    expect(lintText(text, rules, { disable: ['overpromise'] }).some((f) => f.category === 'overpromise')).toBe(false);
    expect(lintText(text, rules, { minSeverity: 'error' }).every((f) => f.severity === 'error')).toBe(true);
  });

  it('returns nothing for empty text and never throws on odd input', () => {
    expect(lintText('', rules)).toEqual([]);
    expect(() => lintText('\ud800保證\udfff\u202e一定會', rules)).not.toThrow();
  });

  it('refuses a duplicate rule id across packs, naming both places', () => {
    const pack = parsePack('pack: a\nrules:\n  - id: x/y\n    category: negative\n    message: m\n    match: { phrases: [不能] }\n', 'a.yaml');
    const other = parsePack('pack: b\nrules:\n  - id: x/y\n    category: negative\n    message: m\n    match: { phrases: [不行] }\n', 'b.yaml');
    expect(() => compileRules([pack, other])).toThrow(/b\.yaml:3:5: duplicate rule id 'x\/y': also defined at a\.yaml:3:5/);
  });
});

describe('context windows at block edges (issue 19, item 17)', () => {
  it('a sentence across a 4,096-character mark keeps its exceptions: 保證金, 無法保證, 不一定會', () => {
    for (let filler = 4070; filler <= 4110; filler++) {
      const lead = '好'.repeat(filler) + '。';
      expect(lintText(`${lead}保證金會在三個工作天內退回，如有延誤會再通知您。`, rules).map((f) => f.excerpt), `filler ${filler}`).not.toContain('保證');
      expect(lintText(`${lead}我們無法保證明天送到，今晚前給您答覆。`, rules), `filler ${filler}`).toEqual([]);
      expect(lintText(`${lead}包裹不一定會在明天送到，今晚前給您答覆。`, rules), `filler ${filler}`).toEqual([]);
    }
  });
});

describe('one reply per line', () => {
  it('no finding runs from one line into the next (a pattern’s gap once crossed the line break)', () => {
    const text = '您可以发短信自助查询的哦\n商家发货的他们是人工安排的\n';
    for (const f of lintText(text, rules)) expect(f.excerpt, f.ruleId).not.toMatch(/[\r\n]/);
    expect(lintText(text, rules).map((f) => f.ruleId)).not.toContain('blame/send-elsewhere');
  });
});
