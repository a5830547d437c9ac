// Rewrites built from the draft's own sentence: its time, object and action stay; only what the rule
// objects to changes (a certainty made an estimate, a bare "no" given a way forward, a sarcastic emoticon
// dropped). Works on the original text of the sentence, so the draft's script, placeholders and words
// are kept; the few words added come from the phrase table in the draft's register.
import type { Subject } from '../engine/clauses.js';
import { say, type Phrase, type Register } from './register.js';
import type { Topic } from './models.js';
import { replaceEach } from './count.js';

export const PHRASES = {
  estimate: { zh: '预计' },
  tryHard: { zh: '会尽力' },
  tryHardLet: { zh: '会尽力让', yue: '會盡力令' },
  weTryHard: { zh: '我们会尽力', yue: '我哋會盡力' },
  changeNotice: { zh: '如有变动我们会第一时间通知您', yue: '如有變動我哋會第一時間通知你' },
  progressNotice: { zh: '有进展会第一时间告诉您', yue: '有進展會第一時間話你知' },
  sorry: { zh: '很抱歉', yue: '唔好意思' },
  lookForWay: { zh: '我来帮您看看还能怎么处理', yue: '我幫你睇下仲可以點處理' },
  lookForApplication: { zh: '我帮您看看还有哪些可以申请的方式', yue: '我幫你睇下仲有邊啲可以申請嘅方法' },
} satisfies Record<string, Phrase>;

/** Certainty adverbs, in either script, with the modal and 在 that follow them. */
const CERTAIN = /(一定|肯定|絕對|绝对|鐵定|铁定|必定|必然|百分之?百|百分百|梗係|梗系)(會|会|能|可以|可)?(在|喺)?/gu;
/** A guarantee and who gives it: 我保證, 我跟您打包票, 包在我身上. */
const GUARANTEE = /(我們|我们|我哋|我|本店|小妹)?(這邊|这边)?(跟|向|同|給|给)?(您|你)?(保證|保证|打包票|打保票|擔保|担保)/u;
const ONLY_GUARANTEE = /^[\s,，]*(我們|我们|我哋|我|本店|小妹)?(這邊|这边)?(跟|向|同|給|给)?(您|你)?(保證|保证|打包票|打保票|擔保|担保)[\s!！~～。,，]*$|^(包在我身上|放一百個心|放一百个心|妥妥的|穩穩的|稳稳的)[\s!！~～。,，]*$/u;
/** The agent or a thing of the customer's before the adverb in its clause. */
const AGENT_BEFORE = /(我們|我们|我哋|我地|我|小妹|本店|這邊|这边|咱們|咱们)[^，,。您你]{0,4}$/u;
const THING_BEFORE = /(您|你)(的|嘅)/u;
/** A greeting or form of address the apology goes after: 您好，很抱歉，…. */
const GREETING = /^[\s\u3000]*(((客戶|客户)?(您好|你好)|親愛的|亲爱的|親愛噠|亲爱哒|親親|亲亲|親|亲|小主|哈囉|哈喽)[\s,，!！~～]+)?/u;
const FINAL = /[\s。！？!?~～….]*$/u;
const APOLOGY = /抱歉|不好意思|對不起|对不起|唔好意思|見諒|见谅|sorry/iu;
const CLAUSE_SPLIT = /(?<=[，,；;])/u;

function tail(sentence: string): { body: string; end: string } {
  const m = FINAL.exec(sentence)!;
  return { body: sentence.slice(0, m.index), end: sentence.slice(m.index) };
}

/** Add a clause before the sentence's closing punctuation (a 。 when it has none). */
function append(sentence: string, clause: string): string {
  const { body, end } = tail(sentence);
  const sep = /[，,、；;：:]$/.test(body) ? '' : '，';
  return `${body}${sep}${clause}${end.trim() === '' ? end + '。' : end}`;
}

/** 我們一定會修好 → 我們會盡力修好; 您的退款一定會在週三到帳 → 您的退款預計週三到帳,如有變動…. */
export function hedgeRewrite(sentence: string, subject: Subject, r: Register): string | undefined {
  const clauses = sentence.split(CLAUSE_SPLIT).filter((c) => !ONLY_GUARANTEE.test(c));
  if (clauses.join('').trim() === '') return undefined;
  let changed = clauses.length !== sentence.split(CLAUSE_SPLIT).length;
  let agentSpeaks = false;
  const hedged = clauses.map((clause) => {
    let out = replaceEach(CERTAIN, clause, (_m: string, _adverb: string, modal: string | undefined, at: string | undefined, index: number) => {
      changed = true;
      // who does it: the agent (我們一定會修好 → 我們會盡力修好) or not (您的退款一定會 → 您的退款預計)
      const rest = clause.slice(index + _m.length);
      const agent = AGENT_BEFORE.test(clause.slice(0, index)) || /^(給|给|幫|帮|為|为|替|俾)(您|你)/u.test(rest) || (subject === 'agent' && !THING_BEFORE.test(clause.slice(0, index)));
      agentSpeaks ||= agent;
      if (agent) return say(PHRASES.tryHard, r) + (at ?? '');
      return say(PHRASES.estimate, r) + (modal && !at ? modal : '');
    });
    const g = GUARANTEE.exec(out);
    if (g) {
      const rest = out.slice(g.index + g[0].length).replace(/^[\s,，]+/, '');
      const who = g[1] ?? '';
      // 我保證明天預計送到: what follows is hedged already, drop 我保證; 我保證您週五拿到 → 我會盡力讓您週五拿到
      const already = rest.includes(say(PHRASES.estimate, r)) || rest.includes(say(PHRASES.tryHard, r));
      const replacement = already ? '' : /^(您|你|大家|你哋)/u.test(rest) ? who + say(PHRASES.tryHardLet, r) : who + say(PHRASES.tryHard, r);
      agentSpeaks ||= !already;
      out = out.slice(0, g.index) + replacement + rest;
      changed = true;
    }
    return out;
  });
  if (!changed) return undefined;
  return append(hedged.join('').replace(/^[\s,，]+/, ''), say(agentSpeaks ? PHRASES.progressNotice : PHRASES.changeNotice, r));
}

/** A refusal given a way forward: the draft's own words, an apology if it has none, and an offer to look further. */
export function refusalRewrite(sentence: string, turn: string, topic: Topic, r: Register): string {
  const offer = say(topic === 'refund' || topic === 'billing' || topic === 'invoice' ? PHRASES.lookForApplication : PHRASES.lookForWay, r);
  const withOffer = append(sentence, offer);
  if (APOLOGY.test(turn)) return withOffer;
  const lead = GREETING.exec(withOffer)![0];
  return `${lead}${say(PHRASES.sorry, r)}，${withOffer.slice(lead.length)}`;
}
