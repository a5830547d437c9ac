// The clause analysis every rule shares, and the rules that read it, on sentences written for these
// tests (the trainers' sets are evaluation data: `npm run eval`, never copied here).
import { describe, expect, it } from 'vitest';
import { analyzeReply, compileRules, lintText, loadRules, parsePack } from '../src/index.js';

const rules = await loadRules();
const clause = (text: string, part: string) => {
  const found = analyzeReply(text)[0]!.clauses.find((c) => c.text.includes(part));
  if (!found) throw new Error(`no clause with ${part} in ${text}`);
  return found;
};
const categories = (text: string) => new Set(lintText(text, rules).filter((f) => f.severity !== 'info').map((f) => f.category));

describe('clause analysis', () => {
  it('splits a reply into clauses with exact offsets in the original text, traditional or simplified', () => {
    const text = '您好，這張訂單無法改地址喔！不過可以幫您攔截後重新寄出。';
    const [reply] = analyzeReply(text);
    for (const c of reply!.clauses) expect(text.slice(c.offset, c.offset + c.length)).toBe(c.text);
    expect(reply!.clauses.map((c) => c.text)).toEqual(['您好', '這張訂單無法改地址喔', '不過可以幫您攔截後重新寄出']);
  });

  it('recognises questions with and without a question mark', () => {
    expect(clause('洗衣機還是轉不動嗎', '轉不動').acts).toContain('question');
    expect(clause('请问是打不开还是打开就闪退？', '打不开').acts).toContain('question');
    expect(clause('你部機係咪完全著唔到', '著唔到').acts).toContain('question');
    expect(clause('這台印表機無法連線。', '無法連線').acts).not.toContain('question');
  });

  it('tells a refusal of what was asked from a product fact, a warning and a symptom', () => {
    expect(clause('發票抬頭目前沒辦法修改喔', '沒辦法').acts).toContain('refusal');
    expect(clause('不可以的哈', '不可以').acts).toContain('refusal');
    expect(clause('这款手表不支持游泳时佩戴', '不支持').acts).toContain('information');
    expect(clause('会员注销之后积分无法恢复，您确定要注销吗？', '无法恢复').acts).toContain('warning');
    expect(clause('已经记下您家电视无法开机的情况', '无法开机').acts).toContain('symptom');
    expect(clause('您那边无法登录是吧', '无法登录').acts).not.toContain('refusal');
  });

  it('finds the subject: the agent, the customer, a third party, or a thing of the customer', () => {
    expect(clause('我们这边没法给您改', '没法').subject).toBe('agent');
    expect(clause('您的包裹這邊無法改派', '無法').subject).toBe('agent');
    expect(clause('快遞員那天沒有按門鈴', '快遞員').subject).toBe('third-party');
    expect(clause('我会亲自帮您跟进', '跟进').subject).toBe('agent');
    expect(clause('亲不可以的哦', '不可以').subject).toBe('none');
  });

  it('marks hedges, own commitments and ways forward', () => {
    expect(clause('这种情况可能是路由器过热', '路由器').hedged).toBe(true);
    expect(clause('退款約3-5個工作天入帳', '入帳').hedged).toBe(true);
    expect(clause('我一定把您的意見轉達給店長', '轉達').acts).toContain('commitment');
    expect(clause('我們一定幫您把機器修好', '修好').acts).not.toContain('commitment');
    expect(analyzeReply('這個型號停產了，不過可以幫您換成新款。')[0]!.alternative).toBe(true);
    expect(analyzeReply('這個型號停產了，請您見諒。')[0]!.alternative).toBe(false);
    expect(analyzeReply('這要問銀行，您可以打給銀行客服。')[0]!.help).toBe(false);
    expect(analyzeReply('這要問銀行，我幫您聯繫銀行客服。')[0]!.help).toBe(true);
  });
});

describe('rules that read the clause analysis', () => {
  it('a refusal with nothing offered is negative; a question, a fact, a warning or an alternative is not', () => {
    expect(categories('这个订单的收货人不能改的哦')).toContain('negative');
    expect(categories('那个颜色是没法换的呢')).toContain('negative');
    expect(categories('洗衣機還是不能脫水嗎？')).not.toContain('negative');
    expect(categories('这款手表不支持游泳时佩戴。')).not.toContain('negative');
    expect(categories('会员注销之后积分无法恢复，您确定要注销吗？')).not.toContain('negative');
    expect(categories('这笔运费不能退，不过可以给您补一张五元券。')).not.toContain('negative');
  });

  it('a dead end without trigger words is negative; a refusal of the timing or one that goes on to a condition is not', () => {
    expect(categories('我們門市沒有這種分期方案喔')).toContain('negative');
    expect(categories('没有这个套装的哦')).toContain('negative');
    expect(categories('您放心，没有这个问题的。')).not.toContain('negative');
    expect(categories('客服下班了，暂时无法马上给您回电，明早九点给您打过去。')).not.toContain('negative');
    expect(categories('收货地址提交后改不了的呢，如果您想寄到公司')).not.toContain('negative');
    expect(categories('收货地址提交后改不了的呢')).toContain('negative');
  });

  it('an A-not-A question negates nothing, and a bare 不支持 answers what a product supports', () => {
    expect(analyzeReply('这张卡不能分期；我可以帮您看看另一张卡能不能分期。')[0]!.alternative).toBe(true);
    expect(categories('这张卡不能分期；我可以帮您看看另一张卡能不能分期。')).not.toContain('negative');
    expect(categories('亲，不支持的哦')).not.toContain('negative');
    expect(categories('我们这边暂不支持的呢')).toContain('negative');
    expect(categories('不支持退换的哦')).toContain('negative');
  });

  it("a bare no answers the customer's question: a fact when it asked what something is or does, a refusal when it asked for a service", () => {
    const negative = (reply: string, customerTurn: string) => lintText(reply, rules, { customerTurn }).some((f) => f.category === 'negative');
    expect(negative('不能的哦亲', '这款奶粉开封后能放冰箱吗？')).toBe(false);
    expect(negative('不能的哦亲', '能帮我把收货地址改成公司吗？')).toBe(true);
    expect(negative('不能的哦亲', '寄到国外能收到吗？')).toBe(true);
    expect(negative('不能的哦亲', '')).toBe(true);
    // a bare no answers only a yes/no question: to 为什么/怎么… it answers nothing
    expect(negative('不能的哦亲', '为什么我的优惠券用不了呢')).toBe(true);
    // the reply names what it refuses: not a bare no
    expect(negative('下单后是改不了的呢', '为什么？？')).toBe(true);
  });

  it("the agent's message just before counts: its contrast (付款后才可以改) makes a no in this one a path, and the safety net agrees", () => {
    const negative = (reply: string, precedingTurn?: string) => lintText(reply, rules, { precedingTurn }).some((f) => f.category === 'negative' && f.severity !== 'info');
    expect(negative('现在没办法修改的呢')).toBe(true);
    expect(negative('现在没办法修改的呢', '等仓库出库以后才可以修改收货人的')).toBe(false);
    expect(negative('现在没办法修改的呢', '好的，稍等')).toBe(true);
    // when it can be done (只要…就可以) is a way too
    expect(negative('用过了就不可以了哦')).toBe(true);
    expect(negative('用过了就不可以了哦', '只要吊牌还在就可以申请退货的')).toBe(false);
  });

  it('a self-service step, when it can be done, and the agent taking it up are ways forward', () => {
    expect(analyzeReply('不可以的哈，您搜索型号直接购买哦。')[0]!.alternative).toBe(true);
    expect(analyzeReply('不能退哦，您申请的那笔已经关闭了。')[0]!.alternative).toBe(false);
    expect(analyzeReply('暂时还不支持转入，我们会考虑大家的需求适时调整。')[0]!.alternative).toBe(true);
    expect(analyzeReply('改不了的，您要用的话下次下单前改好就可以了。')[0]!.alternative).toBe(true);
  });

  it('a brush-off, futility or a report of what a third party already did is no way forward', () => {
    expect(analyzeReply('抱歉没办法补寄，请您自行解决。')[0]!.alternative).toBe(false);
    expect(analyzeReply('这个我查不了，您打几次电话都一样。')[0]!.alternative).toBe(false);
    expect(analyzeReply('改不了地址了，包裹已经交给快递公司了。')[0]!.alternative).toBe(false);
    expect(analyzeReply('您想买的那款已经断货了，我们也没办法帮您调货。')[0]!.alternative).toBe(false);
    // a real step and a third party's next step still count
    expect(analyzeReply('改不了地址了，您可以在签收时拒收后重新下单。')[0]!.alternative).toBe(true);
    expect(analyzeReply('改不了地址了，快递员明天会先联系您。')[0]!.alternative).toBe(true);
    expect(categories('天气的事我们也管不了，您要怪就怪老天吧。').has('negative')).toBe(true);
  });

  it('a question word with 呢 at the end asks, even without ？', () => {
    expect(clause('您的机器具体是什么故障呢', '故障').acts).toContain('question');
    expect(categories('您的机器具体是什么故障呢').has('blame')).toBe(false);
    expect(categories('您的路由器有故障，没办法。').has('blame')).toBe(true);
  });

  it('a greeting, a purpose, a fact about two things or a compound noun only looks like blame or a promise', () => {
    expect(categories('您好，欢迎咨询商城在线客服~')).toEqual(new Set());
    expect(categories('请将您的故障编号私信给我们。').has('blame')).toBe(false);
    expect(categories('相片的排序和导入的先后没有关系。').has('blame')).toBe(false);
    expect(categories('这跟我们没关系。').has('blame')).toBe(true);
    expect(categories('没关系，所以您不用担心。').has('blame')).toBe(false);
    expect(categories('为了能更好地帮您解决问题，请留下联系方式。').has('overpromise')).toBe(false);
    expect(categories('正常明天送达的哦').has('overpromise')).toBe(false);
    expect(categories('明天送达的哦').has('overpromise')).toBe(true);
    expect(categories('这个包裹明天可以到达的哦').has('overpromise')).toBe(true);
    expect(categories('这边看今天到达不了站点哦').has('overpromise')).toBe(false);
    expect(categories('正常情况明天就可以到达了哦').has('overpromise')).toBe(false);
    expect(categories('查询下来这单没有其他联系方式。').has('negative')).toBe(false);
    expect(categories('这个真的没有其他办法了。').has('negative')).toBe(true);
    // a wh-word names no party; a done act sends no one; our own line is not elsewhere
    expect(categories('目前还不确定是哪方面的原因，麻烦您先重启一下。').has('blame')).toBe(false);
    expect(categories('我们已经查询了其他平台的价格，没有问题哦。').has('blame')).toBe(false);
    expect(categories('您用下单的手机号致电客服就可以办理。').has('blame')).toBe(false);
    expect(categories('这个要您自己联系银行客服。').has('blame')).toBe(true);
    // one message is one statement: a policy in one and an outcome in the next are not one promise
    expect(categories('审核的时效是两个工作日之内 审核通过会短信通知的').has('overpromise')).toBe(false);
    expect(categories('是的 这边是分配错了网点').has('blame')).toBe(false);
    expect(categories('是快递那边送错了').has('blame')).toBe(true);
    // a thing of the customer's is not the customer; a report by what they gave is no defence
    expect(categories('由于您的订单还没完成，开票后再帮您更改。').has('blame')).toBe(false);
    expect(categories('根据您提供的资料，您本月还剩2G流量。').has('blame')).toBe(false);
    expect(categories('我们是按照您填的地址寄的。').has('blame')).toBe(true);
    expect(categories('建议您到号码归属地的营业厅办理。').has('blame')).toBe(false);
    // effort is a hedge; a known bug with a fix coming is a symptom and a next step
    expect(categories('我们会努力帮您解决的~').has('overpromise')).toBe(false);
    expect(categories('目前确实有歌词不能同步显示的一个bug，我们会在下个版本修复。').has('negative')).toBe(false);
  });

  it('a product that "cannot" be given a service is a refusal; what the product itself cannot do is a fact', () => {
    expect(categories('您的商品不能修改收货地址的呢').has('negative')).toBe(true);
    expect(categories('这款耳机拆封以后不支持退货的').has('negative')).toBe(true);
    expect(categories('这款耳机不支持无线充电。').has('negative')).toBe(false);
    expect(categories('这款手机不能换电池。').has('negative')).toBe(false);
    expect(categories('山区那边真的送不了的哈').has('negative')).toBe(true);
    expect(categories('地址填的是旧的，所以才送不到。').has('negative')).toBe(false);
  });

  it('a diagnosis, a reminder, a request for details or going along with the customer is not blame or a brush-off', () => {
    expect(categories('您可以换一台手机试试，排查一下是手机还是运营商的问题。').has('blame')).toBe(false);
    expect(categories('是快递的问题，不是我们的。').has('blame')).toBe(true);
    expect(categories('由于您没有具体描述故障情况，请私信提供联系方式。').has('blame')).toBe(false);
    expect(categories('由于您报名时活动尚未开始，请在活动期间重新参加。').has('blame')).toBe(false);
    expect(categories('我们会再帮您争取，尽快回复您最终结果。').has('negative')).toBe(false);
    expect(categories('这就是最终决定了。').has('negative')).toBe(true);
    expect(categories('之前跟您说过可以在微信里申请退款哦，稍后也会电话联系您。').has('negative')).toBe(false);
    expect(categories('都跟您说过了，明天到。').has('negative')).toBe(true);
    expect(categories('那好，我就不帮您取消了~').has('negative')).toBe(false);
    // the customer's location is their side: a diagnosis once a next step follows
    expect(categories('这是由于您所在的楼层离基站较远，我们会尽快优化这一带的信号。').has('blame')).toBe(false);
    expect(categories('应该是您的号码还没开通这项服务，您可以在APP里申请。').has('blame')).toBe(false);
    // what the customer asked about, what the agent looked up, a comparison, a calendar fact
    expect(categories('您咨询的是我们子品牌的手机。').has('blame')).toBe(false);
    expect(categories('目前查询商家还没有发货。').has('blame')).toBe(false);
    expect(categories('这样的话会更好地帮您解决问题').has('overpromise')).toBe(false);
    expect(categories('我们会尽我所能帮您解决问题。').has('overpromise')).toBe(false);
    expect(categories('明天就到下个月了，所以不能累计。').has('overpromise')).toBe(false);
    expect(categories('明天就到了哦').has('overpromise')).toBe(true);
    // our own system's fault is owned, not pushed onto someone; another team's system is theirs
    expect(categories('不是的，是系统的问题，我这边帮您报修。').has('blame')).toBe(false);
    expect(categories('那是预约系统的事，我们柜台不管的。').has('blame')).toBe(true);
    // the agent's own next step, even when it waits on news (如收到…), is a commitment, not an error
    expect(lintText('我们如收到航班变动信息，一定会及时给您发送短信。', rules).some((f) => f.severity === 'error')).toBe(false);
    // a tautology closes the subject; 耳机就是耳机的介绍 goes on
    expect(categories('不能退就是不能退。').has('negative')).toBe(true);
    expect(categories('没有就是没有的哦').has('negative')).toBe(true);
    expect(categories('耳机就是耳机的说明和型号').has('negative')).toBe(false);
  });

  it('a step told with 把, or as the next step of a list, is a way forward', () => {
    expect(analyzeReply('您先把旧的驱动卸载，再重新安装一次。')[0]!.alternative).toBe(true);
    expect(analyzeReply('您把旧的驱动卸载了。')[0]!.alternative).toBe(false);
  });

  it("a cause on the customer's side is blame only without a next step; a thing of theirs is not a fault", () => {
    expect(categories('是因为您的打印机驱动出了问题。')).toContain('blame');
    expect(categories('是因为您的打印机驱动出了问题，您先把它卸载，再重新安装。')).not.toContain('blame');
    // (the statistical net may still speak on 您自己; the pattern rule no longer does)
    expect(lintText('这是您自己的会员页面，点进去就能看到。', rules).map((f) => f.ruleId)).not.toContain('blame/customer-fault');
    expect(categories('这是您自己没看说明造成的。')).toContain('blame');
    expect(categories('这个月的账单应该是银行那边的原因。')).toContain('blame');
  });

  it('a neutral diagnosis with a next step or a hedge is not blame; an accusation is', () => {
    expect(categories('可能是您家路由器离得太远，您挪近一点试试。')).not.toContain('blame');
    expect(categories('是不是您的流量套餐用完了呢？')).not.toContain('blame');
    expect(categories('抱歉，是我刚才帮您看错了型号。')).not.toContain('blame');
    expect(categories('您下单时没有勾选安装服务，所以师傅不会上门。')).toContain('blame');
    expect(categories('电梯维修是物业的事，不归我们管。')).toContain('blame');
    expect(categories('电梯维修是物业的事，我这就帮您联系物业，今天回复您。')).not.toContain('blame');
  });

  it('own effort is not an overpromise; a flat time and outcome is', () => {
    expect(categories('我一定把您的建議轉達給主管。')).not.toContain('overpromise');
    expect(categories('新的零件後天就寄到府上了。')).toContain('overpromise');
    expect(categories('新的零件預計後天寄到。')).not.toContain('overpromise');
    expect(categories('请在明天中午前完成付款。')).not.toContain('overpromise');
    expect(categories('出發前請保證手機有電。')).not.toContain('overpromise');
    // a date is a time too; an ASCII full stop ends the promise as 。 does
    expect(categories('您的补贴九月十号就会到账了')).toContain('overpromise');
    expect(categories('放心,我们会帮您解决好的.')).toContain('overpromise');
    expect(categories('您照着步骤重新设定一次,这样就可以正常上网了.')).toContain('overpromise');
    expect(categories('您照着步骤重新设定一次,这样应该就可以正常上网了.')).not.toContain('overpromise');
  });

  it('no finding starts or ends inside a word', () => {
    for (const text of ['但是您的订单不支持改地址，我帮您重新下单。', '我特别想帮您，稍等我查一下。', '这个灯就是灯泡坏了，我们给您换一个。']) {
      expect(lintText(text, rules)).toEqual([]);
    }
  });

  it('a team pack can say when a rule applies in plain YAML, and a typo in it is refused', () => {
    const pack = parsePack(
      `pack: team
rules:
  - id: team/no-refund
    kind: phrase
    category: negative
    severity: warning
    message: 不要只說不能退款
    match: { phrases: [不能退款] }
    when: { act: [refusal] }
    unless: { act: [question], alternative: true }
`,
      'team.yaml',
    );
    const set = compileRules([pack]);
    expect(lintText('这笔订单不能退款哦', set)).toHaveLength(1);
    expect(lintText('这笔订单不能退款吗？', set)).toHaveLength(0);
    expect(lintText('这笔订单不能退款，但可以帮您换货', set)).toHaveLength(0);
    expect(() => parsePack('pack: t\nrules:\n  - { id: t/a, kind: phrase, category: negative, severity: warning, message: m, match: { phrases: [a] }, when: { act: [refusel] } }\n', 't.yaml')).toThrow(/unknown act 'refusel'/);
  });
});
