// The mechanisms added for recall on our own held-out drafts (issue 15): the clause acts `disclaimer` and
// `consequence`, a cause presumed with 吧？, and the rules that read them, on sentences written for these
// tests (never copied from ../shared). Each mechanism is tried on a case it must catch and on the neutral
// wordings next to it that it must leave alone.
import { describe, expect, it } from 'vitest';
import { analyzeReply, lintText, loadRules } from '../src/index.js';

const rules = await loadRules();
const clause = (text: string, part: string) => {
  const found = analyzeReply(text)[0]!.clauses.find((c) => c.text.includes(part));
  if (!found) throw new Error(`no clause with ${part} in ${text}`);
  return found;
};
const ruleIds = (text: string) => new Set(lintText(text, rules).filter((f) => f.severity !== 'info').map((f) => f.ruleId));
const categories = (text: string) => new Set(lintText(text, rules).filter((f) => f.severity !== 'info').map((f) => f.category));

describe('disclaimer: the agent clears its own side after naming another party', () => {
  it('is a disclaimer only after another party was named as the cause or the decider', () => {
    expect(clause('保費調整是保險公司那邊決定的，我們門市只是負責通知。', '只是').acts).toContain('disclaimer');
    expect(clause('包裹卡在轉運中心是物流那邊太慢，我們倉庫早就出貨了。', '早就').acts).toContain('disclaimer');
    expect(clause('補助款沒下來是區公所還沒核准，我這邊已經送件了。', '送件').acts).toContain('disclaimer');
    // alone, our side's status is just a status
    expect(clause('我這邊已經送件了。', '送件').acts).not.toContain('disclaimer');
    // a hedged step of someone else is information, not a cause pinned on them
    expect(clause('銀行入帳一般需要3到5個工作天，我們這邊已經退款了。', '退款了').acts).not.toContain('disclaimer');
  });

  it('is blame with no help offered, and not when the agent takes it up', () => {
    expect(ruleIds('系統排班是總部定的，我們分店也沒辦法調。')).toContain('blame/shift-and-disclaim');
    expect(ruleIds('系統排班是總部定的，我幫您向總部申請調整，明天回覆您。')).not.toContain('blame/shift-and-disclaim');
    expect(ruleIds('供應商還沒回覆，我們這邊已經催過了，有消息馬上通知您。')).not.toContain('blame/shift-and-disclaim');
    // our own company's rule is not another party
    expect(ruleIds('這是公司規定，我也沒辦法。')).not.toContain('blame/shift-and-disclaim');
  });
});

describe('consequence: a bad outcome pinned on what the customer did', () => {
  it('links a fault of the customer to a bad outcome in the same sentence', () => {
    expect(clause('您沒有填寫統一編號，所以發票才會開錯。', '所以').acts).toContain('consequence');
    expect(clause('你密碼輸入咁多次錯，梗係會鎖咗啦。', '梗係').acts).toContain('consequence');
    expect(categories('您沒有填寫統一編號，所以發票才會開錯。')).toContain('blame');
  });

  it('leaves acts that are no fault, good outcomes, conditions and diagnoses with a next step alone', () => {
    expect(clause('您已經完成付款，所以無法再更改方案。', '所以').acts).not.toContain('consequence');
    expect(clause('您這樣設定是正確的，所以不會有問題。', '所以').acts).not.toContain('consequence');
    expect(clause('您好，包裹已經寄出，所以很快會收到。', '所以').acts).not.toContain('consequence');
    expect(ruleIds('如果您沒有填統一編號，發票就會開成個人。')).not.toContain('blame/customer-consequence');
    expect(ruleIds('您上傳的證件有反光，所以審核沒通過，您重新拍一張上傳就可以了。')).not.toContain('blame/customer-consequence');
  });
});

describe('a cause presumed with 吧？', () => {
  it('is an insinuation, not a diagnostic question', () => {
    expect(clause('螢幕裂開是因為您摔到地上了吧？', '因為您').acts).not.toContain('question');
    expect(categories('螢幕裂開是因為您摔到地上了吧？')).toContain('blame');
    // a diagnostic question stays one
    expect(clause('是不是手機摔到過呢？', '摔到').acts).toContain('question');
    expect(categories('是不是手機摔到過呢？')).not.toContain('blame');
  });
});

describe('recall rules written on the same principles', () => {
  it('every-case: an outcome made certain for every case or moment, not a policy or a fact', () => {
    expect(ruleIds('換了這台淨水器，每個水龍頭的水都會是甜的，所有問題都會解決。')).toContain('overpromise/every-case');
    expect(ruleIds('噴完這瓶，整個夏天都不會再有蚊子。')).toContain('overpromise/every-case');
    expect(ruleIds('每位新會員都會收到一張折價券。')).not.toContain('overpromise/every-case');
    expect(ruleIds('這批罐頭三年都不會過期。')).not.toContain('overpromise/every-case');
  });

  it('closing-the-door: closers and brush-offs without trigger words, unless the agent helps', () => {
    expect(categories('這個名額沒了，答案還是沒有。')).toContain('negative');
    expect(categories('這份申請我看都不用看。')).toContain('negative');
    expect(categories('您嫌貴的話可以去其他家看看。')).toContain('negative');
    expect(categories('您去別處買也是這個價格喔。')).not.toContain('negative');
    expect(categories('沒問題，就這樣。')).not.toContain('negative');
    expect(categories('步驟就是這樣，您照著做就可以了。')).not.toContain('negative');
    expect(categories('這點小事不用煩惱，我現在就幫您改。')).not.toContain('negative');
  });

  it('a bare 冇得/沒得 refuses when the clause refuses a service, and says nothing otherwise', () => {
    expect(ruleIds('呢張券冇得轉讓俾其他人。')).toContain('negative/refusal');
    expect(ruleIds('這家店的服務沒得說，大家都很滿意。')).not.toContain('negative/refusal');
  });

  it('excuse-circumstance: the agent’s own circumstances as the reason, not the customer’s', () => {
    expect(categories('我今天第一天值班，很多規定都還不熟。')).toContain('blame');
    expect(categories('您還不熟悉介面的話，我一步一步帶您操作。')).not.toContain('blame');
  });
});
