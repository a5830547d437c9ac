// Where a replacement fits: the grammatical frame around the flagged span, read from the normalized
// (simplified) text of its clause and the clause analysis (engine/clauses.ts). Shallow on purpose: a
// small lexicon per frame, so that 我保證您週五拿到 (a clause follows) and 我保證送到 (a verb follows)
// are told apart without loading the word segmenter for every draft with a finding.
import type { Subject } from '../engine/clauses.js';

export const AFTER_FRAMES = ['verb', 'clause', 'time', 'modal', 'noun', 'end', 'question', 'asked', 'any'] as const;
export type AfterFrame = (typeof AFTER_FRAMES)[number];
export const BEFORE_FRAMES = ['start', 'subject', 'modal', 'object', 'modifier', 'verb', 'any'] as const;
export type BeforeFrame = (typeof BEFORE_FRAMES)[number];

/** Where a replacement fits (`fits:` of a `replace` suggestion, docs/rules.md). Each key given must hold. */
export interface FitSpec {
  /** What follows the span in its clause: any of these. */
  after?: AfterFrame[];
  /** What precedes it in its clause: any of these. */
  before?: BeforeFrame[];
  /** None of these may follow or precede. */
  notAfter?: AfterFrame[];
  notBefore?: BeforeFrame[];
  /** The clause's subject (clause analysis): any of these. */
  subject?: Subject[];
}

const PRONOUN = '您|你|你们|您们|亲|阁下|大家|我们|我哋|我地|我|他|她|它|佢|你哋';
const THING = '订单|包裹|快递|商品|货物|货|退款|款项|款|钱|费用|发票|账户|账号|设备|手机|电脑|机器|产品|问题|网络|宽带|信号|系统|服务|申请|预约|维修|师傅|工程师|资料|密码|积分|优惠券|红包|套餐|话费';
const TIME = new RegExp(
  '^(在|于|会在|能在)?(今天|今日|明天|明日|后天|今晚|今早|当天|本周|下周|这周|周[一二三四五六日天末]|星期|礼拜|月底|年底|月初|下午|上午|晚上|中午|马上|立刻|立即|尽快|短时间|近期|稍后|即日|[0-9一二三四五六七八九十两半几]+\\s*(个)?(小时|钟头|天|日|号|月|周|星期|工作日|分钟|点|个工作日))',
);
const MODAL = /^(会|能|可以|可|将|能够|得以|要|会在|能在)(?!以)/;
/** Verbs an agent promises or a service performs, and the words that open a verb phrase (给您…, 按时…). */
const VERB = new RegExp(
  '^(给|帮|为|替|把|将|按时|准时|及时|尽快|马上|立即|第一时间|全额|免费|亲自|一次性|送|到|退|换|修|解决|处理|发|寄|完成|安排|回复|联系|办|搞|补|赔|满意|成功|准|让|令|使|恢复|开通|审核|通过|交|收|拿|送达|到账|到货|上门|维修|修复|更换|退还|返还|追回|找回|赔偿|补偿|答复|通知|跟进|负责|做到|兑现|保障|搞定|搞掂|帮你|畀|俾)',
);
const CLAUSE = new RegExp(`^(${PRONOUN}|${THING})`);
const NOUN = new RegExp(`^(的)?(${THING}|质量|品质|效果|结果|时间|时效|售后|正品|满意度)`);
const END = /^[\s,，。.!！~～…;；:：)）\]】]*$|^(的|了|啦|哦|喔|噢|呢|哈|呀|啊|嘛|吧|哟|滴|亲|亲爱的|亲爱哒)[\s\p{P}\p{S}的了啦哦喔噢呢哈呀啊嘛吧哟滴亲]*$/u;
const QUESTION = /^[^，,。！!]{0,12}(吗|么|嘛|呢)?\s*[?？]|^[^，,。！!]{0,8}(吗|么)/;

const B_SUBJECT = new RegExp(`(${PRONOUN}|这边|我这边|我们这边|小妹|小编|本店|我司|客服|我地)(也|都|就|绝对|一定|肯定|真的|真心|可以|敢)?$`);
const B_MODAL = /(会|能|可以|可|将|能够|要|愿意|敢)$/;
/** A preposition and its object: 跟您, 同你, 向大家 — the span is the verb of 跟您保證. */
const B_OBJECT = /(跟|向|给|同|和|对|为|与|帮|替|俾|畀)(您|你|大家|你们|您们|阁下|亲|你哋)$/;
const B_MODIFIER = /(的|这个|那个|此|该|这|那|这些|个|嘅|呢个)$/;
const B_VERB = /(解决|回答|处理|咨询|反映|反馈|提|问|有|没有|出|遇到|发生|存在|碰到|查|核实|了解|关注)$/;

export interface Frame {
  /** Normalized clause text before and after the span (within the clause). */
  before: string;
  after: string;
  subject: Subject;
}

/** Quotation marks around a span (您的「投訴」, 關於您的"投訴"): the frame is read past them. */
export const QUOTES = /["'“”‘’「」『』《》]/u;

export function afterIs(frame: AfterFrame, after: string): boolean {
  const a = after.replace(/^\s+/, '').replace(new RegExp(`^${QUOTES.source}+`, 'u'), '');
  switch (frame) {
    case 'any':
      return true;
    case 'end':
      return END.test(a);
    case 'question':
      return QUESTION.test(a);
    case 'asked':
      // a question put by the customer: 問題問得好, 問題提得好
      return /^(问|提|说|讲)(得|的)/.test(a);
    case 'time':
      return TIME.test(a) || /^(会|能)?(在|于)[^，,。]{0,8}(前|之前|以前|内|之内|左右|当天)/.test(a);
    case 'modal':
      return MODAL.test(a);
    case 'clause':
      // a subject and something said of it: 您週五拿到, 包裹明天到
      return CLAUSE.test(a) && a.replace(CLAUSE, '').replace(/^(的|嘅)?/, '').search(/[，,。！？!?]|$/) >= 2;
    case 'noun':
      return NOUN.test(a);
    case 'verb':
      return VERB.test(a);
  }
}

export function beforeIs(frame: BeforeFrame, before: string): boolean {
  const b = before.replace(/\s+$/, '').replace(new RegExp(`${QUOTES.source}+$`, 'u'), '');
  switch (frame) {
    case 'any':
      return true;
    case 'start':
      return /^[\s\p{P}\p{S}]*((您好|你好|亲|亲爱的|亲爱哒|放心|您放心|你放心)[\s,，!！~～]*)*$/u.test(b);
    case 'subject':
      return B_SUBJECT.test(b);
    case 'modal':
      return B_MODAL.test(b);
    case 'object':
      return B_OBJECT.test(b);
    case 'modifier':
      return B_MODIFIER.test(b);
    case 'verb':
      return B_VERB.test(b);
  }
}

/** Does a replacement with this `fits` fit the frame? No `fits`: it fits anywhere (user packs as before). */
export function fitsFrame(fits: FitSpec | undefined, frame: Frame): boolean {
  if (!fits) return true;
  if (fits.after && !fits.after.some((f) => afterIs(f, frame.after))) return false;
  if (fits.before && !fits.before.some((f) => beforeIs(f, frame.before))) return false;
  if (fits.notAfter?.some((f) => afterIs(f, frame.after))) return false;
  if (fits.notBefore?.some((f) => beforeIs(f, frame.before))) return false;
  if (fits.subject && !fits.subject.includes(frame.subject)) return false;
  return true;
}
