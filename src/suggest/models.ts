// Model sentences chosen by the reply's topic and the finding's category, not one fixed list per rule.
// Each follows the pattern a training document recommends (cited), with nothing in it that the draft
// did not say: no time, no remedy, no policy, no blank to fill — an offer to check, follow up or
// explain, which any agent can keep. Written in Standard Chinese with a Cantonese form.
import type { SourceRef } from '../rules/types.js';
import type { Phrase } from './register.js';
import { countMatches } from './count.js';

export const TOPICS = ['delivery', 'refund', 'repair', 'order', 'account', 'billing', 'network', 'booking', 'invoice', 'general'] as const;
export type Topic = (typeof TOPICS)[number];

/** Words of each topic, in normalized (simplified) text; the topic with most hits wins. */
const TOPIC_WORDS: Record<Exclude<Topic, 'general'>, RegExp> = {
  delivery: /物流|快递|包裹|配送|送货|送达|发货|到货|派送|签收|运单|寄|地址|收货|派件|速递|顺丰|京东快递/g,
  refund: /退款|退货|退钱|退回|到账|退差价|返还|退还|原路/g,
  repair: /维修|修好|修理|保修|报修|售后|故障|坏了|检测|换新|师傅|上门/g,
  order: /订单|下单|取消|修改|更改|拆单|改地址|拍下|库存|缺货|预售/g,
  account: /账号|账户|密码|登录|登陆|实名|认证|注册|绑定|解绑|验证码|会员/g,
  billing: /话费|扣费|费用|收费|套餐|账单|余额|充值|流量|月租|计费|优惠|积分/g,
  network: /网络|宽带|信号|网速|断网|上网|wifi|光猫|路由器|基站|4g|5g/gi,
  booking: /预约|预订|订房|订票|改签|机票|酒店|门票|排期|档期|航班/g,
  invoice: /发票|开票|开具|增票|抬头|税号|报销/g,
};

const TOPIC_ENTRIES = Object.entries(TOPIC_WORDS) as [Topic, RegExp][];

/** Every topic normalized text mentions (a team document's reply is matched to a draft by these). */
export function topicsIn(text: string): Topic[] {
  return TOPIC_ENTRIES.filter(([, words]) => countMatches(words, text) > 0).map(([topic]) => topic);
}

/** The topic normalized text mentions most ('general' when none). */
export function topicOf(text: string): Topic {
  let best: Topic = 'general';
  let most = 0;
  for (const [topic, words] of TOPIC_ENTRIES) {
    const n = countMatches(words, text);
    if (n > most) {
      most = n;
      best = topic;
    }
  }
  return best;
}

export interface Model extends Phrase {
  topics: readonly Topic[];
  categories: readonly string[];
  source: SourceRef;
}

const EXPECT: SourceRef = { doc: '000_904e8ece3c647f0d.txt', section: '三、1. 明確溝通,避免模糊承諾' };
const ALTERNATIVE: SourceRef = { doc: '000_904e8ece3c647f0d.txt', section: '三、6. 提供替代方案' };
const UNREASONABLE: SourceRef = { doc: '002_c98b8a495b5e3139.txt', section: '6.客戶要求不合理或不可行' };
const CUSTOMER_SIDE: SourceRef = { doc: '002_c98b8a495b5e3139.txt', section: '4.問題在客戶端' };
const WE_ERRED: SourceRef = { doc: '002_c98b8a495b5e3139.txt', section: '3.他們搞砸了' };
const ART: SourceRef = { doc: '003_a96b6ce7d2e94456.txt', section: '說話的藝術' };

export const MODELS: readonly Model[] = [
  // overpromise: say what is expected and that we will tell them if it changes
  { topics: ['delivery'], categories: ['overpromise'], source: EXPECT, zh: '您的包裹我们会持续跟进，预计送达时间以物流信息为准，如有变动我们会第一时间通知您。', yue: '你嘅包裹我哋會持續跟進，預計送達時間以物流資料為準，如有變動我哋會第一時間通知你。' },
  { topics: ['refund', 'billing'], categories: ['overpromise'], source: EXPECT, zh: '款项到账时间以银行处理为准，我们会持续跟进，如有变动会第一时间通知您。', yue: '款項到賬時間以銀行處理為準，我哋會持續跟進，如有變動會第一時間通知你。' },
  { topics: ['repair', 'network'], categories: ['overpromise'], source: EXPECT, zh: '我们会尽力尽快帮您处理好，有进展会第一时间告诉您。', yue: '我哋會盡力盡快幫你處理好，有進展會第一時間話你知。' },
  { topics: ['general', 'order', 'account', 'booking', 'invoice'], categories: ['overpromise'], source: EXPECT, zh: '我们会尽快为您处理，有结果会第一时间告诉您。', yue: '我哋會盡快幫你處理，有結果會第一時間話你知。' },
  // negative: say what can be done (an offer to look for a way, not an invented remedy)
  { topics: ['delivery', 'order'], categories: ['negative'], source: ALTERNATIVE, zh: '很抱歉这个暂时处理不了，我帮您看看还有什么其他办法。', yue: '唔好意思呢個暫時處理唔到，我幫你睇下仲有咩其他方法。' },
  { topics: ['refund', 'billing', 'invoice'], categories: ['negative'], source: UNREASONABLE, zh: '这个要求目前的规定还办不到，很抱歉，我帮您看看还有哪些可以申请的方式。', yue: '呢個要求目前嘅規定未做到，唔好意思，我幫你睇下仲有邊啲可以申請嘅方法。' },
  { topics: ['repair', 'network', 'account', 'booking', 'general'], categories: ['negative'], source: ALTERNATIVE, zh: '很抱歉这个暂时做不到，我帮您看看还有什么其他办法可以解决。', yue: '唔好意思呢個暫時做唔到，我幫你睇下仲有咩其他方法可以解決。' },
  // blame: own the situation, no fault-finding
  { topics: ['delivery'], categories: ['blame'], source: WE_ERRED, zh: '给您带来不便很抱歉，我这边帮您跟进物流的情况，有消息第一时间告诉您。', yue: '為你帶嚟不便真係唔好意思，我幫你跟進物流情況，有消息第一時間話你知。' },
  { topics: ['account', 'network', 'repair', 'order', 'booking', 'billing', 'refund', 'invoice', 'general'], categories: ['blame'], source: CUSTOMER_SIDE, zh: '这个地方确实容易弄错，很抱歉给您添麻烦了，我来帮您一起看看怎么处理。', yue: '呢度的確好易搞錯，唔好意思麻煩到你，我幫你一齊睇下點處理。' },
  // general courtesy (dismissive, brush-off, emoticons)
  { topics: ['general', 'delivery', 'refund', 'repair', 'order', 'account', 'billing', 'network', 'booking', 'invoice'], categories: ['tone'], source: ART, zh: '我明白您的意思，给您带来不便很抱歉，我来帮您看看。', yue: '我明白你嘅意思，為你帶嚟不便真係唔好意思，我幫你睇下。' },
];

/** The model sentences for a finding: its category (or `tone`), best topic first. */
export function modelsFor(category: string, topic: Topic): Model[] {
  const of = MODELS.filter((m) => m.categories.includes(category));
  const fit = of.filter((m) => m.topics.includes(topic));
  return fit.length ? fit : of.filter((m) => m.topics.includes('general'));
}
