// Clause analysis: what each clause of a reply *does*, shared by every rule (docs/rules.md, "Clause
// analysis"). Rules ask "is this 不能 a refusal of what the customer asked, or a product fact, a question,
// a warning?" instead of each carrying its own regex exceptions. It reads the normalized (simplified)
// text, so one vocabulary serves simplified, Taiwan and Hong Kong (Cantonese) drafts. No I/O.
//
// The analysis is deliberately shallow and explainable: a clause is split at ，、：; and spaces between
// Chinese characters (chat messages joined by a space), and its acts come from a few word classes.
import { normalize, toOriginalSpan } from '../normalize/index.js';
import { HAN_RANGES } from '../normalize/han.js';
import { isClauseBreak, isLineBreak, isSentenceBreak, spanAround, type Span } from './context.js';

export const SPEECH_ACTS = ['question', 'instruction', 'information', 'symptom', 'apology', 'refusal', 'promise', 'commitment', 'warning', 'condition', 'offer', 'disclaimer', 'consequence'] as const;
export type SpeechAct = (typeof SPEECH_ACTS)[number];
export const SUBJECTS = ['agent', 'customer', 'product', 'third-party', 'none'] as const;
export type Subject = (typeof SUBJECTS)[number];

export interface Clause extends Span {
  readonly text: string;
  readonly acts: ReadonlySet<SpeechAct>;
  readonly subject: Subject;
  /** 可能, 一般, 预计, 应该…: the clause does not state its content as certain. */
  readonly hedged: boolean;
}

export interface Turn extends Span {
  readonly clauses: readonly Clause[];
}

// ---- word classes (simplified: the text is normalized before it is analysed) ----

const words = (list: string) => list.split(/\s+/).filter(Boolean);
const alternation = (list: string) => words(list).sort((a, b) => b.length - a.length).join('|');

/** Who speaks for the service. */
const AGENT = alternation('我们 我们这边 我这边 这边 咱们 咱 我 本人 小妹 小编 妹纸 妹子 小的 本店 本公司 我司 敝司 本行 客服 我哋 我地 我们公司 公司这边');
const CUSTOMER = alternation('您 你 亲 亲爱的 亲亲 阁下 你哋 您们 客户 顾客 用户 机主');
/** Others the service works with: blame moves here. */
const THIRD = alternation(
  '快递 快递员 快递公司 物流 物流公司 配送员 配送 配送站 站点 师傅 司机 外送员 骑手 外卖员 商家 卖家 店家 厂家 厂商 原厂 品牌方 供应商 供货商 仓库 航空公司 航司 银行 发卡行 微信 支付宝 运营商 财务 财务部 技术部 技术部门 其他部门 另一个部门 别的部门 上游 第三方 保险公司 管委会 物业 包商 承包商 海关 邮局 政府 区公所 医院 校园网管 当地客服 营业厅 厂商 系统 平台 总部 他们 佢哋 对方 网点 寄件人 安装商 承办商 接待社 地接社 旅行社 房东 业委会 区权会 学校 厂方',
);
/** The product or a feature of it: what it can and cannot do is information. */
const PRODUCT = alternation(
  '这款 该款 此款 该机 该机型 机型 本机 手机 电脑 耳机 设备 机器 产品 商品 功能 此功能 该功能 固件 版本 系统版本 客户端 软件 应用 app 插件 工具 页面 网页 网站 卡 副卡 套餐 药品 药 面霜 灯光 电池 屏幕 视频 壁纸 图片 快捷键 输入法 号码 账号 账户 数据',
);

/** A negated ability or permission: the core of a refusal (and of many facts). */
const NEGATION = /不能|不可以|不可|不行|不允许|不支持|不支援|不接受|不受理|不提供|不予|不给|不设|无法|没办法|没有办法|没法|没得|做不到|办不到|不了|不到|唔得|唔可以|唔能够|唔[退改换补赔做办批]得|冇办法|冇得|唔到|唔了|不会|不再|暂不(支持|提供|接受|受理|开放|办理)?|一律不|恕不|没辙|冇计|唔(接受|受理|处理|提供|送|派|配送)|(没有|没|冇)(弹性|得商量|商量的余地)|不让(?!(您|你|阁下|客户|大家)(久等|失望|担心|操心|费心|受|白跑)|师傅|快递|骑手|配送员|工作人员|他|她)|暂无|并无|概不|爱莫能助|无能为力|唔设|不得|唔(取消|更改|修改|转|延期|退款|申请|安排|预约|改期)得|碍难|恕难|未能|停止|(?<![并绝决从毫要可])不(?=退|换|报销|赔|补开|寄|受理|上门|打折|处理|办理|提供|安排|开(发)?票|开具|维修|修理|修|帮|接待|通融|批|核准|升级)|没有(?=的[呢哦哈喔啦呀]*$)|没有(?=[^，,。]{1,6}服务(?!的|员))|没有(?=提供|送(?!错)|这种|这项|此项|该项|这类|这个(?!问题|情况|现象|必要|风险|影响|意思)|其他|别的)|冇(?=提供|送(?!错)|呢种|呢项|呢个(?!问题|情况))/;
/**
 * What a customer asks the service to do. Refusing one of these is a refusal; "cannot" of anything else
 * (使用, 保存, 接通, 识别…) is usually a fact about a product or a symptom.
 */
const SERVICE_ACTION = new RegExp(
  alternation(
    '服务 上门 照办 办 豁免 作出 谈 议价 商量 调整 减免 合并 拆分 合单 重开 移机 修改 更改 改 改地址 变更 取消 撤销 撤回 更换 换 替换 调换 退 退款 退货 退换 退订 退回 销户 升级 打折 维修 修理 选 选择 挑选 指定 受理 平 开票 开发票 开具 开增票 合开 补开 换开 发货 发 寄 送 转接 转 备注 操作 处理 办理 申请 绑定 解绑 分开 拆单 拆 价保 保价 价格保护 赔 赔偿 补偿 补 补发 延期 延迟 加急 催 告诉 告知 透露 提供 安排 预约 下载 估计 确定 查 查询 报销 优惠 便宜 减 免 返 退差价 动 帮 帮您 给您 为您 弄 搞 做 批 审核 通过 答应 保证 注销 退票 改签 解约 续约 转让 过户 延长 保留 预留 代办 接载 接送 介入 插手 跟进 报名 插队 通融 派送 预订 预定 订票 订房 订位 补办 挂失 寄回 暂停 解封 复核 覆核 予以 接纳',
  ),
);
/** What only the service does to an order, never the product itself (not 換電池: 換貨 is a service). */
const ORDER_SERVICE = /开放申请|申请|办理|修改|更改|改地址|变更|退货|退款|退换|退订|退差价|换货|更换|调换|开票|开发票|开具|补开|备注|价保|保价|价格保护|补发|赔偿|补偿|送货|配送|寄送|发货|拆单|销户|延期/;

/**
 * A bare 不支持的 with no verb after it and no one of ours saying it: the answer to "does it support…?",
 * a capability of the product. (不支持修改, 我們這邊暫不支持的 stay refusals.)
 */
const CAPABILITY_ANSWER = /^[^，,。]{0,4}?(是)?(暂)?(不支持|不支援)(的)?[哦喔呢哈啦呀亲的~～!！。.\s]*$/;
/** An A-not-A question (能不能, 可不可以, 有没有…): no negation. */
const A_NOT_A = /能不能|可不可以|会不会|行不行|是不是|有没有|要不要|支不支持|可唔可以|得唔得|系唔系/g;
/** Hedges: the clause does not claim certainty. */
const HEDGE = /[0-9]+\s*[-~～至到]\s*[0-9]+|[一二三四五六七八九十两]\s*[-~～至到]\s*[一二三四五六七八九十两]|最快|最早|(?<![预签合节制契大隐])约(?= ?[0-9一二三四五六七八九十两半])|可能|也许|或许|大概|大约|应该|一般|通常|正常情况下|正常来说|(?<![恢复不非])正常(?=明天|今天|后天|今晚|今日|听日|[0-9一二两三四五六七八九十]|会|都会|是|都是|的话|来讲|情况)|原则上|预计|预估|估计|尽量|尽力|努力|全力|尽我所能|竭尽所能|争取|多半|大多|大部分|基本上|如无意外|不出意外|有机会|视乎|看情况|不一定|未必|不确定|说不准|难说/;
const QUESTION_WORDS = /请问|是否|是不是|有没有|能不能|会不会|可不可以|可以吗|行不行|对不对|要不要|是吗|对吗|好吗|行吗|可以么|是么|对么|吗|系咪|系唔系|有冇|可唔可以|得唔得|咩$|未呀|为什么|为何|怎么|怎样|如何|什么|哪|多少|几/;
const STRONG_QUESTION = /请问|是否|是不是|有没有|能不能|会不会|可不可以|可以吗|行不行|对不对|要不要|是吗|对吗|好吗|行吗|可以么|是么|对么|吗[~～!！。.\s]*$|(对|是)吧[~～!！。.?？\s]*$|么[~～!！。.\s]*$|系咪|系唔系|有冇|可唔可以|得唔得|咩[~～!！。.\s]*$|未呀$|(什么|哪|多少|几|怎么|怎样|如何|为什么|为何|谁)[^，,。]{0,8}呢(亲|亲爱的|亲亲)?[~～!！。.\s]*$/;
const CONFIRMATION = /(确定|确认|是否)(要|继续|办理|取消|注销)?[^，,。]{0,6}(吗|么|呢)?[?？]?$|确定吗|确认吗/;
const APOLOGY = /抱歉|不好意思|对不起|见谅|sorry|唔好意思|失礼|致歉|道歉/;
// (還不行的話) 還不行我給您報修: "if it still does not work", said without 如果
const CONDITION_START = /^((您|你|亲|阁下)(的)?)?(如果|若是|若|假如|假设|要是|万一|一旦|倘若|如|如有|如需|如若|只要|除非|等到|待)|^(还|仍然|仍|依然|再)(是)?(不行|没用|不能用|无法使用|用不了|连不上|上不了网|没好|没反应|打不开|开不了机)/;
const CONDITION_END = /(的话|之后|以后|后|时|前|以前|之前)$/;
/** A consequence: once X is done, Y can no longer be done (a warning before an irreversible step). */
// (嗣后 is "from now on": 嗣後不再另行回覆 is a refusal)
const CONSEQUENCE = /(一旦|之后|以后|(?<!嗣)后|了|就|便|的话)[^，,。]{0,6}(是)?(无法|不能|不可以|不可|不再|没办法|没法|不会)|(一旦|如果|若)/;
/** Advice or instructions to the customer: 请…, 建议…, 您可以…, 需要…, 只能…. */
const INSTRUCTION = new RegExp(
  [
    // an imperative opening the clause: 请…, 建议…, 点击…, 重新下单
    '^(请|麻烦|烦请|敬请|建议|可以|不妨|需要|需|须|务必|记得|先|直接|只能|只需|只要|尽量|最好|试试|尝试|重新|点击|打开|进入|联系|拨打|致电|添加|登录|下单)(?![时后前的了])',
    // 要麻煩您帶證件到分行辦理: a request, softened
    '^(要|得|需要)(请|麻烦|烦请)',
    // 可攜同證明到辦事處申請: 可 + a verb of going or doing
    '^可(携|带|到|去|前往|通过|联系|申请|致电|拨打|登录|选择|使用|凭|持)',
    // the customer told what to do: 您可以…, 您需要…, 你试下
    // (您要的尺寸 is what the customer wants, not a step)
    // (您要是早點說… is a condition: 要是 is "if")
    `^(${CUSTOMER})(也|还|先|就)?(请|可以|可|不妨|需要|需|要|先|试试|试下|尝试|重新|直接|务必|记得)(?![的了过是])`,
    // a self-service step: 您搜索型號購買, 您到門市辦理, 您登入APP查看 (您申請的… is a thing of theirs)
    `^(${CUSTOMER})(先|再|就|可|也)?(搜索|搜一下|点击|点开|打开|进入|登录|登入|下载|前往|到店|去店|到门市|拨打|致电)(?![的了过])`,
    `建议(${CUSTOMER})|请(${CUSTOMER})`,
    // 詳細條款請參閱第七條: a pointer to where the answer is
    '请(参阅|查阅|参考|浏览|登入|登录|致电|联系)',
    // 您現在把舊版本卸載, 再重新安裝: a step for the customer, told with 把 or as the next step of a list
    `^(${CUSTOMER})(现在|先|再|就|直接)?把[^，,。]{1,24}(卸载|删除|删掉|重启|关掉|关闭|打开|更新|升级|清除|清理|退出|改成|调成|拔掉|插上|下载|安装|重装|备份)(?![了过])`,
    '^(再|然后|接着)(重新|试试|尝试|点击|打开|进入|联系|拨打|登录|下载|安装|卸载)',
    // 您清理一下快取, 你重開一下試試: a verb softened with 一下/試試 is a step to take (您自己要注意一下 lectures)
    `^(${CUSTOMER})(先|再|就|现在)?(?!自己|[^，,。]{0,3}(注意|留意|小心))[^，,。？?吗]{1,6}(一下|试试|试一下|试下)`,
  ].join('|'),
);
/** 幫您, 為閣下: done on the customer's behalf. */
const FOR_YOU = '(?:帮|为|给|替)(?:您|你|阁下)';
const FOR_YOU_ANYWHERE = new RegExp(FOR_YOU);
/** Later, again: 遲啲再, 改天再, 過兩天再 — when the customer is to do it, the matter is put off. */
const PUT_OFF = /(迟啲|迟些|晚点|晚些|改天|过两天|过几天|等阵|下次|听日|明天)再/;
/** 已為您申請了, 已經修復了: done for the customer, or the problem put right — a way forward, not a bare status. */
const DONE_FOR_YOU = new RegExp(`${FOR_YOU}|修复|修好|解决|恢复|处理好|办好|搞定|补发|退回|退款`);
/** 我這邊幫您查了一下: a check already made for the customer reports; it offers nothing still to come. */
const CHECKED_FOR_THEM = new RegExp(`${FOR_YOU}(查|看|核实|确认|核查|查询|了解)(了|过|咗)(一下|下)?$`);
/** A finished act with nothing still to come (錢已經打給商家了, 訂單已經送出; but 已安排，明天會聯繫您 has a next step). */
const ALREADY_DONE = /^(?!.*(会|将|可以|能|马上|稍后|尽快|再)).*(已经|已)/;
/**
 * Not a way forward though worded as a step: sorting it out alone (請自行解決, 請自己找水電, 要您自己跟對方聯絡) and futility
 * (您再問幾次都一樣, 打來也沒用).
 */
const NO_WAY = /另洽|另行(联系|联络|洽询)|(自行|自己)(解决|处理|想办法|搞定|负责|看着办|找|留意)|(自行|自己)(去)?(跟|和|同|与|向)[^，,。]{1,8}(联络|联系|协调|沟通|讲|说|交涉|商量)|(都|也)(是)?(一样|没用|没有用|白搭)/;
/** Words after 请/可以 that ask for patience or brush off, not offer a way: 请您谅解, 您要怪就怪… */
const ONLY_PATIENCE = new RegExp(`^(还|也|亦|都)?(${CUSTOMER})?(请|麻烦|敬请|烦请)?(${CUSTOMER})?(知悉|悉知|查照|谅解|理解|见谅|体谅|耐心|稍等|稍候|等待|等|放心|留意|注意|关注|不要|别|勿|不用|无须|无需|唔好|要怪|怪)`);
/** The agent or the service doing something for the customer: a next step. */
const OFFER = new RegExp(
  [
    `(${AGENT})?(会|可以|能|乐意|愿意|来|再|先|提前|马上|立即|立刻|尽快|稍后|随后|这就|现在|已经|已|正在|将|帮|为|给|替)(帮|为|给|替|跟|向|和)?(${CUSTOMER})?(申请|安排|排|转接|转交|转介|转给|转到|登记|记录|提交|反馈|联系|联络|回复|通知|处理|办理|提供|协助|补发|更换|换|改|退|查|核实|核查|跟进|备注|升级|修改|重新|选用|挑选|看看|睇下|睇吓|睇睇|推荐|预约|催|协调|争取|报修|加急|拦截|确认|询问|问|咨询|解决|调整|补偿|赠送|送|开具|发送|寄|转达|反映|进行|拨|打给|致电|转至|转到|更正|修复|优化|改进|完善)`,
    '(稍后|随后|后期|之后|晚点|今天|明天|尽快|马上|第一时间)[^，,。]{0,6}(联系|回复|回覆|回电|通知|告知|告诉|答复|处理|跟进)',
    // 只能本人帶身份證到營業廳修改: the one way it can be done
    '只能[^，,。]{0,8}(到|去|在|通过|用)[^，,。]{1,10}(办理|修改|申请|处理|更改|补办|领取|注销)',
    // 我先把飲料那份錢退給您, 我把單號發給您: the agent's step told with 把
    `(${AGENT})(先|会|马上|这就|现在|已经|已|再|立即)?把[^，,。]{1,12}(退|补|寄|发|传|换|改|送|转|申请|提交)(给|到|回)?(${CUSTOMER})?`,
    // 我幫您在訂單上備註一下: help, with where it is done
    `(${AGENT})?(帮|为|给|替)(${CUSTOMER})在[^，,。]{1,8}(备注|登记|记录|申请|提交|修改|标注|操作|设置|加急)`,
    // 我司會積極與當地溝通, 這邊也跟工程師反饋一下: the agent takes it up with someone
    `(${AGENT})(也|会|将|这就|马上|再|已|已经)*(积极|主动|尽快|及时|立即)?((帮|为|替)(${CUSTOMER}))?(跟|与|和|向)[^，,。]{1,10}(沟通|反馈|反映|协调|联系|确认|核实|申请|争取|跟进)`,
    // a turn to what can be done: 不過可以…, 但我們會…; not 不過您放心 (a reassurance) or a sales pitch
    '(但|但是|不过|可是|只是|然而|惟|唯)(?![^。！？!?]{0,3}放心)[^。！？!?]{0,16}(可以|(?<![不没])可(?=透过|通过|经|于|凭|选择|改用|申请|致电|联系)|(?<![不没])能(?!找到|收到|到|解决|用)|会为|会帮|为您|帮您|给您|替您|建议|申请|安排|提供|(?<![不没暂])(支持|支援)|换|补|退|联系|转|推荐|另一|类似|登记|记录|反馈|跟进|尽快|优先|免费|赠送|补偿|您可|您也可)',
    // (颜色以实物为准 is a disclaimer, not a way)
    '或者|或是|替代|代替|改为|换成|建议|推荐|以商品页面为准|(?<!规定|政策|标准|要求|协议|实物|实际)为准',
    // 電磁爐的話要選我們家複底那款: for that use, this one
    '的话(要|可以|请)?(选|买|用|换)',
    '(可以|能)(通过|选择|自行|自己|到|去|在|用|使用|申请|联系|下单|重新|直接|先|领取|获取|参加|参与|享受|下载)',
    // 只要沒拆封都可以退, 您不需要的話不設定就可以: when it can be done is a way
    '只要[^，,。]{1,12}(都|就|也)(可以|行|能|没问题|ok)',
    '的话[^，,。！？!?]{0,10}就(可以|行|好)(了|的|啦)?',
    // 產後三個月可以再來, 學員可轉讀下一期, 佢哋會以電郵聯絡你: a way later, elsewhere in the course, or a handover that will call back
    '(可以|能|可)再(来|嚟|申请|预约|办理|试|下单|购买)|可(转读|转班|改期|转让|改为)|会[^，,。！？!?]{0,4}(联络|联系|通知|回复)(您|你|阁下)',
    // 帶埋會員卡過嚟就得: come in with it and that will do
    '(过嚟|过来|返嚟|回来|嚟|来)就(得|可以|行)',
    // the agent taking the matter up: 我司也會認真研究, 會適時調整相關政策
    `(${AGENT})?(也|都)?(会|将)[^，,。！？!?]{0,4}(研究|考虑|评估|调整|完善|改进|优化)`,
  ].join('|'),
);

/**
 * What a promise may be about. An outcome (送到, 退回, 修好, 解决…) is not in the agent's hands; the
 * agent's own effort or next step (转达, 帮您问, 跟进, 回复…) is, and promising it is a commitment.
 */
const OUTCOME = /获批|批出|换好|装好|升等|升舱|处理好|办好|弄好|搞好|做好|解决好|到|送达|退回|退到|退还|退返|汇到|汇入|入账|到账|进账|恢复|修好|修复|解决|搞定|搞掂|上线|推出|完成|批下来|批核|核下来|批准|通过|拨款|收到|见到|开通|生效|满意|赔|成功|好了|没问题|冇问题|过关|消失|消除|见效|治好|不会再/;
const EFFORT = /讲返|话返|讲声|交到[^，,。]{1,6}手上|交(给|俾)(?!我|咱|本)|递交|呈交|备注|记下|记低|标注|确认|讨论|商量|追到底|追查|回个准信|准信|盯着|盯紧|跟紧|再找|找一遍|找找|请同事|请同仁|预约|给您约|帮您约|为您约|保留|预留|发送|发短信|转|转给|转交|转达|转告|转俾|反映|反馈|问(?!题)|查|核实|跟进|追踪|跟踪|记录|登记|通知|联系|回复|回覆|回电|告知|尽力|尽量|努力|全力|加急|催|申请|提交|上报|报告|汇报|处理|帮您|帮你|为您|为你|亲自|负责到底|留意|关注|争取/;

/**
 * The agent clearing its own side (我们这边早就退了, 我们门店只是执行, 我们也没办法改, 我也催过好几次了,
 * 不是我们人工扣的): with another party named as the cause or the decider just before, the reply pushes
 * the problem away (act `disclaimer`). Alone, 我这边已经提交了 is a status; after 是银行处理慢 it is a defence.
 */
const DISCLAIM = new RegExp(
  [
    // only carrying out someone else's decision: 只是执行, 净系负责执行, 只负责通知, 也只能照系统显示的讲
    '(只是|只系|净系|淨系|只)(负责)?(执行|通知|照|按|转达|传达|传话|跟单|打工|卖货|卖|销售)',
    // 平台只是提供空間而已: only the venue, not the deal
    '(只是|只系|只)(提供|负责)[^，,。！？!?]{1,6}(而已|罢了|咋|啫)',
    '(也|都)只(能|可以)(照|按|跟|转达|等)',
    // powerless: 我们也没办法改, 我都冇计, 我们旅行社管不着
    // (說了不算, 人工這邊沒動過: not ours, said after another party was named)
    '说了不算|话唔到事|讲唔到数|(人工|我们|我哋)[^，,。！？!?]{0,4}(也|都)?(没|没有|冇)(动过|碰过|改过|操作过|扣过)|管不到',
    '(也|都)(没办法|没有办法|没法|冇办法|冇计|无能为力|做不了主|无权|帮不上|(不能|无法|没法|唔能够)(控制|左右|决定|干涉))|管不着|管唔着|管不了|管唔到|控制不了|控制唔到|控制不到',
    // 我們也催不動, 這邊也決定不了, 我們旅行社也是被通知的, 仲介也只是中間人, 也左右不了, 做唔到主, 只負責執行
    '催不动|催唔郁|决定不了|决定唔到|(也|都)(是)?被(通知|告知)(的|嘅)|左右不了|左右唔到|做不了主|做唔到主|只是中间人|只系中间人|只(能|可以)配合|只负责(执行|收|转|递)|(改|处理|解|帮)(唔到|不了)$',
    // our part was done long ago: 我们这边早就退了, 我们开发这边早就提交了
    '(早就|早已|一早|早都|老早)[^，,。！？!?]{1,6}(了|咗|过)',
    // our side's part is done, the rest is theirs: 我这边已经提交了, 我也催过好几次了 (这边/也 set our side
    // against theirs; 我已经催了 alone is help, and 已为您提交 an offer)
    '(这边|呢边|这里|方面)(也|都)?(已经|已)(?![^，,。！？!?]{0,4}(为|帮|给|替)(您|你))[^，,。！？!?]{1,4}(了|咗)$',
    '(也|都)(已经)?(催|问|跟|反映|反馈|提交|申请|报|联系)(过|了|咗)',
    // not us: 不是我们人工故意扣的分, 唔系我哋整嘅
    '^(不是|唔系|并非|又不是)(我们|我哋|我|本店|本公司|我司)[^，,。！？!?]{0,10}(的|嘅)',
    // and not ours to know: 单嘢系上一更同事跟开，我唔清楚
    '^(我|我们|我哋)?(也|都)?(唔清楚|不清楚|不知道|唔知|唔太清楚|不太清楚)[的哦喔啦喎呢]*$',
  ].join('|'),
);
/** Someone else named in a clause: a third party, a department, a colleague, head office. */
// (公司 alone is our own company: 公司規定 is our policy, a refusal; 維保公司, 總公司 are others)
const OTHER_PARTY = new RegExp(`(${THIRD})|(部|部门|(?<!^|本|我|我们|我哋|咱|咱们|是|系|的|这|呢|个|贵|[，,。\\s])公司|法团|主任|同事|主管|经理|领导|上头|上面|商店|店员|门市|工程师|法务|那边|嗰边|一更|物业|管理处)(?!的?(您|你))`);
/** …decided by them: 是教务主任拍板的, 係大廈法團決定嘅, 总公司定的规矩, 话唔得. */
const DECIDED = /(就是|本来就)(这样|这么)|(决定|定|拍板|设计|判定|规定|要求|批|决议)(的|嘅)|(判定|决定)$|的(决定|规矩|规定|政策|事)|话唔得|说不行|不同意|不点头|唔批|不批|未批/;

/**
 * A bad outcome stated as the consequence of the customer's doing (act `consequence`): 您没有提供完整的资料，
 * 所以审核才会拖这么久; 您这样用肯定会坏; 您看，地址填的还是旧地址，账单当然寄不到. The marker (所以, 才会,
 * 当然, 难怪, 肯定会…) links it to a clause of the same sentence whose subject is the customer.
 */
const CONSEQUENCE_MARK = /所以|因此|因而|于是|才会|才(?=[^，,。！？!?]{0,3}(被|这么|那么|拖|慢|坏|错|失败))|先会|先至|当然|难怪|怪不得|怪唔得|自然(会|就)|梗系|肯定会|必然会|一定会/;
/** A clause opening with the customer or the customer's thing (你部机放喺浴室). */
const CUSTOMER_OPENS = new RegExp(`^(${CUSTOMER})(?!好|们好)`);
const GREETING = new RegExp(`^(${CUSTOMER})(好|们好)|^(亲|亲爱的|亲亲|哈喽|嗨|早上好|下午好|晚上好)[~～!！]*$`);
/** The customer's part as a fault: an omission, a mistake, too much or too late, done anyway. */
const CUSTOMER_FAULT = /没|未|不|冇|唔|忘|错|太|晚|迟|超过|超出|乱|随便|这样|这么|那样|还是|偏|擅自|私自|自行|自己|把|丢|扔|拆|摔|跌/;
const BAD_OUTCOME = /暂停|停权|停用|冻结|发炎|过敏|感染|受伤|生锈|落架|下架|封号|无法|不能|不可以|不行|没办法|没法|冇办法|不了|不到|唔到|唔得|坏|慢|拖|不上|来不及|错|失败|延误|过期|退回|被(退|拒|封|锁|扣|罚|取消|驳回|冻结|拦截)|扣(了|分|钱|费)|罚|锁(了|咗|住)|封(了|咗)|这么久|那么久|收不到|寄不到|到不了|用不了|没了|冇咗|不见|丢失|出问题/;
/**
 * A cause put on the customer as a 吧-question (设备进水是因为您带着它去游泳了吧？, 你部机入过水吧？): a
 * presumption, not a diagnostic question (是不是装了…？ asks).
 */
const PRESUMED_CAUSE = new RegExp(`((是|都是)?(因为|由于)(${CUSTOMER})|(${CUSTOMER})[^，,。！？!?]{0,8}(入过水|进过水|入咗水|进了水|摔过|跌过|拆过|改过|刷过机))[^，,。！？!?]*吧[呀啊~～\s]*$`);

/** Does a clause name another party as the cause or the decider (not an offer, a step or a question)? */
function namesOtherParty(c: Clause): boolean {
  if (c.subject === 'agent' || c.subject === 'customer') return false;
  if (c.acts.has('offer') || c.acts.has('instruction') || c.acts.has('question') || c.acts.has('condition')) return false;
  // named as the cause or the decider, not as a neutral step (银行到账需要1-3个工作日 is hedged information)
  if (c.hedged || !(c.subject === 'third-party' || has(OTHER_PARTY, c.text))) return false;
  return has(DECIDED, c.text) || has(/(是|系|都是|就是)/, c.text) || has(NEGATION, c.text) || has(/(慢|拖|卡|错|漏|延误|没|未)/, c.text);
}

function has(re: RegExp, text: string): boolean {
  return re.test(text);
}

// ---- splitting ----

function trimmed(text: string, start: number, end: number): Span {
  while (start < end && /[\s\p{P}\p{S}]/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return { start, end };
}

// ---- acts ----

/**
 * The clause's subject: the first subject word before its predicate (its first negation, or its first
 * few characters). 帮您/为您/给您 are objects, 亲自 is not 亲, and 您的订单 is a thing of the
 * customer's (the subject may still follow: 您的订单这边无法修改 → agent).
 */
function subjectOf(text: string): Subject {
  const neg = text.search(NEGATION);
  const head = (neg >= 0 ? text.slice(0, neg) : text.slice(0, 10)).replace(NOT_SUBJECTS, (m) => '\u0000'.repeat(m.length));
  // 你唔落嚟攞我哋都冇辦法: the agent named right before the negation is its subject, whoever came first
  if (neg >= 0 && AGENT_BEFORE_NEGATION.test(head)) return 'agent';
  let possessed: Subject | undefined;
  for (const m of head.matchAll(SUBJECT_WORDS)) {
    const g = m.groups!;
    if (g.customer !== undefined) {
      const rest = head.slice(m.index + m[0].length);
      if (/^(的|部|个|嘅|嗰|那边的|这边的)/.test(rest)) {
        possessed ??= POSSESSED_PRODUCT.test(rest) ? 'product' : 'none';
        continue;
      }
      return 'customer';
    }
    if (g.agent !== undefined) return 'agent';
    if (g.third !== undefined) return 'third-party';
    if (g.product !== undefined) return 'product';
  }
  return possessed ?? 'none';
}

const AGENT_BEFORE_NEGATION = new RegExp(`(${AGENT})(这边|呢边)?((也|都|亦)(暂时|目前|现时|而家|现在)?|暂时|目前|现时|而家)$`);
/** The customer's product (您的手機): compiled once, not for every clause that says 您的. */
const POSSESSED_PRODUCT = new RegExp(`^(的|部|个|嘅)(${PRODUCT})`);
const SUBJECT_WORDS = new RegExp(`(?<agent>${AGENT})|(?<customer>${CUSTOMER})|(?<third>${THIRD})|(?<product>${PRODUCT})`, 'g');
/** Words that look like a subject and are not one. */
const NOT_SUBJECTS = new RegExp(`(帮|为|给|替|让|跟|向|和|对|同|俾|令|使|通知|告知|告诉|回复|回覆|答复|联系|提醒|致电|打给)(${CUSTOMER})|亲自|亲手|亲身|亲眼|亲口|亲切|^(亲爱的|亲爱哒|亲亲|亲)`, 'g');

/** Is the negation in this clause aimed at something the customer asked the service to do? */
function refusesServiceAction(text: string): boolean {
  const m = NEGATION.exec(text);
  if (!m) return false;
  // 無法立即致電, 未能即日簽發: only the timing is refused, the thing itself will be done
  // (未能收到本行的通知, 聯繫不上: what happened to the customer, not what we refuse)
  if (/^(收到|看到|接到|联系上|联络上|联系到|联络到|打通|登入|登录)/.test(text.slice(m.index + m[0].length))) return false;
  if (/^(立即|马上|立刻|即时|即日|即刻|当天|当日|现在就)/.test(text.slice(m.index + m[0].length))) return false;
  const after = text.slice(m.index + m[0].length).replace(/^(为|帮|给|替)?(您|你)?(直接|再|再次|单独|主动|自助|自行|提前|立即|马上|随便|帮您|给您|为您)?/, '');
  // Nothing but particles after it: 不可以的哦, 不支持的呢亲 — a bare no to what was asked.
  if (BARE_NO.test(after)) return true;
  if (has(SERVICE_ACTION, m[0])) return true; // 唔退得, 停止提供
  if (/不接受|不受理|不予|碍难|恕难|概不|不设|唔设|恕不|爱莫能助|无能为力|一律不|不让|唔接受|唔受理|弹性|商量|没辙|冇计/.test(m[0])) return true; // a refusal whatever its object
  // 我們沒有這種方案, 冇呢項服務: what was asked for is not offered at all
  if (/^(没有|冇)$/.test(m[0]) && /^(这|呢|此|该)(种|项|类|个|款)/.test(text.slice(m.index + m[0].length))) return true;
  // 這個品類暫時沒有驗貨服務: the service asked for is not offered
  if (/^(没有|冇)$/.test(m[0]) && /^[^，,。]{1,6}服务(?!的|员)/.test(text.slice(m.index + m[0].length))) return true;
  if (POTENTIAL.test(m[0])) return refusesVerbBefore(text, m);
  return has(SERVICE_ACTION, after.slice(0, 10));
}

/** A negative potential complement (不了, 不到, 唔到): the verb it negates stands before it. */
const POTENTIAL = /^(不了|不到|唔到|唔了)/;

/** 改不了, 退不了, 操作不了: is the verb before the negation a service the customer asks for? */
function refusesVerbBefore(text: string, m: RegExpExecArray): boolean {
  return has(SERVICE_ACTION, text.slice(Math.max(0, m.index - 4), m.index));
}

/**
 * 這款耳機不支援無線充電: what the product itself cannot do is a fact about it. 您的商品不能修改地址 refuses
 * a service done to it all the same.
 */
function aboutTheProduct(clause: string, subject: Subject): boolean {
  return subject === 'product' && !has(ORDER_SERVICE, clause.slice(clause.search(NEGATION)));
}

/** A report of what was done before (通知都有寄給您, 早就發了, 出庫都檢查過的): no next step to vouch for. */
const DONE_BEFORE = /就有|都有|早就|早已|一早|已在|已于|已尽|(都|均)[^，,。]{0,4}过(的|了)?$|(已经|都)(很)?尽(晒|了)?(全)?力/;
/** Done for the customer (您的訂單完成就會給您申請): whoever the grammatical subject, the step is ours. */
const FOR_THE_CUSTOMER = new RegExp(`${FOR_YOU}(申请|提交|反馈|登记|跟进|处理|核实|查|问|联系|转交|备注|催|加急|约|预约)`);
/** Our own people, whose next step the agent may vouch for: 醫生開藥前一定會再同你確認. */
const OUR_STAFF = /^(我们|我哋)?(的)?(医生|医师|护士|主管|经理|同事|专员)/;
/** What must not be done with a product, for safety: 行動電源不能放入寄艙行李, 不可微波加熱. */
const SAFETY = /(不能|不可以|不可|不要|勿|禁止|不得)(放入|放进|放在|放微波|用洗衣机|带上|携带|托运|食用|服用|饮用|接触|暴晒|加热|微波|机洗|水洗|碰水|浸水)|禁寄|禁运|违禁品|危险品|易燃品|易爆品|(托运|带上机|寄舱|随身携带)[^，,。]{0,4}(不允许|不能|不可以|禁止)|(不能|不要|切勿|勿|不可)(告诉|透露|泄露|提供给|转发给)(任何人|他人|别人|陌生人)/;
/** Goods the rules forbid (香水屬於禁寄品，是不能寄的): the no that follows is the rule, not our refusal. */
const PROHIBITED = /禁寄|禁运|违禁品|危险品|易燃品|易爆品|禁止携带/;
/** How a product is to be kept, washed or used: 要冷藏保存, 需要手洗, 只能常温存放, 金属材质不能放微波炉. */
// (What must not be done with it is SAFETY's, which the next clause may say instead: 金屬材質不能放微波爐.)
const HANDLING = /只能[^，,。]{0,4}用|(要|需要|需|必须|只能|得|请)(放)?(冷藏|冷冻|常温|避光|密封|阴凉|手洗|机洗|干洗|水洗|晾干|阴干|保存|存放|放置|充电|食用|服用|佩戴|清洗)|材质/;

/**
 * What the clause promises: from its promise word on. The topic before it is not promised (這件理賠案我一定會
 * 幫您盯著進度 vouches for the watching, not for the claim).
 */
function promisedPart(clause: string): string {
  return clause.slice(Math.max(0, clause.search(/一定|肯定|绝对|保证|必定|必然|会|将/)));
}

/** The clause before, as far as a clause's acts depend on it. */
interface Before {
  readonly condition: boolean;
  readonly ownQuestion: boolean;
  readonly text: string;
}

/** By a time, the customer will not get it (明天您是收不到的, 今晚到不了). */
const WONT_GET_BY = /(明天|今天|今晚|后天|这周|本周|周末|当天|听日|今日)[^，,。！？!?]{0,4}(收不到|拿不到|到不了|送不到|收唔到|攞唔到|到唔到)/;

/** The formulas of a formal refusal: 恕不, 礙難, 概不, 不予. */
const FORMAL_REFUSAL = /恕不|恕难|碍难|概不|不予|一律不/;

/** A stop the customer asked for, done: 攔截成功, 取消成功, 掛失咗. */
const STOPPED = /(拦截|取消|退订|撤销|冻结|挂失|停机|暂停)(成功|咗|好了|完成)/;

/** A fact told as 是…的 (视频是保存在客户端里的, 发票是根据实际金额开的): how things are, not what we will or won't do. */
const FACT_BEHIND = /^[^，,。！？!?]{0,10}(是|都是|系)(根据|按照|按|依照|依|保存|存|放|由|在|从)[^，,。！？!?]{1,20}(的|嘅)[哦呢喔啦哈呀亲~～\s]*$/;

/** Once it is done (一旦, 之后, 的话): what cannot be done then is the consequence of a step not yet taken. */
const ONCE_DONE = /一旦|之后|以后|(?<!嗣)后|的话/;

/** 還是 / 定係 / 抑或 opening a clause: the second half of an either-or question. */
const OR_ELSE = /^(还是|定系|定还是|抑或)/;

/** 主要要看孩子有沒有複習, 視乎你有冇…: whether the customer did, inside a statement, asks nothing. */
const EMBEDDED_QUESTION = /(要看|要睇|看|睇|视乎|取决于|在于)(佢|他|她|孩子|小朋友|学生|你|您|阁下)[^，,。]{0,10}(有没有|有冇|是不是|系唔系|会不会|能不能)|(确认|核实|查|问问|了解)(一下|下)?[^，,。]{0,4}(有没有|有冇|是不是|是否|能不能|可不可以|会不会)|(要不要|是否)[^，,。]{0,8}(您|你)(再)?(自行|自己)(决定|考虑|定夺)/;

/** Is the clause a question by its own words and its sentence's ？ (not yet through 還是 after it)? */
function asksByItself(clause: string, sentenceEndsInQuestion: boolean, lastInSentence: boolean): boolean {
  return (has(STRONG_QUESTION, clause) && !(EMBEDDED_QUESTION.test(clause) && !sentenceEndsInQuestion)) || (sentenceEndsInQuestion && (lastInSentence || has(QUESTION_WORDS, clause) || OR_ELSE.test(clause)));
}

/**
 * What is already done, by a third party, the customer or no one named, is a report (often the reason for
 * a no), not a way forward: 錢已經打給商家了, 訂單已經送出, 閣下已確認收貨.
 */
function reportsOnly(clause: string, subject: Subject): boolean {
  return (subject === 'third-party' || subject === 'customer' || (subject === 'none' && !DONE_FOR_YOU.test(clause))) && ALREADY_DONE.test(clause);
}

/** The customer told to look again later themselves (你遲啲再睇下啦) is a putting-off, not our offer. */
function putsOff(clause: string, subject: Subject): boolean {
  return subject === 'customer' && PUT_OFF.test(clause) && !FOR_YOU_ANYWHERE.test(clause);
}

/** Words that make a clause a promise (it promises what follows them: promisedPart). */
const PROMISE_WORD = /(一定|肯定|绝对|保证|必定|必然|包|稳|妥|准|就会|会在|会于|前会|内会|就到|就能)/;
/** Reaching someone, a step done before the outcome, keeping until a date: not the outcome promised. */
const NOT_AN_OUTCOME = /(换好|装好)(之后|以后|后)|追到底|转到|交到|递到|查到|联系到|问到|找到|收到您|见到您|(如|若|一旦|如果)收到|(保留|预留|留)到(?=周|星期|礼拜|[0-9一二三四五六七八九十]|明天|后天|月底|今晚)|完成(后|之后|以后)?(?=就|再|会)/g;

function actsOf(clause: string, subject: Subject, isQuestion: boolean, previous: Before | undefined): Set<SpeechAct> {
  const acts = new Set<SpeechAct>();
  if (isQuestion) acts.add('question');
  if (has(APOLOGY, clause)) acts.add('apology');
  // (經審慎考慮後 tells what was done, not a condition)
  if (CONDITION_START.test(clause) || (CONDITION_END.test(clause.replace(/[\s哦呢哈呀啊~～]+$/, '')) && !/经(过)?[^，,。]{0,10}后$/.test(clause))) acts.add('condition');
  // 能不能, 可不可以, 會不會: an A-not-A question asks; it negates nothing (我可以幫您查能不能借)
  const negated = has(NEGATION, clause.replace(A_NOT_A, ''));
  if (negated) {
    const at = Math.max(0, clause.search(NEGATION));
    const beforeNegation = clause.slice(0, at);
    const conditional = previous?.condition || has(CONSEQUENCE, beforeNegation + clause.slice(at, at + 4));
    // Once X is done, Y cannot be undone (一旦取消是无法恢复的): a warning, unless what cannot be done is
    // what the customer asked for (提交就无法修改): that stays a refusal. A confirmation question in the
    // turn (您确认吗) makes either a warning; see analyzeTurn.
    if (conditional && has(ONCE_DONE, beforeNegation || (previous?.text ?? '')) && !refusesServiceAction(clause)) acts.add('warning');
    // The consequence of a condition (如果手機進水，就無法開機) shares it; a refusal of what the customer
    // asks (如號碼有合約，合約期內不能銷戶) is still one: a policy with no way out.
    if (previous?.condition && !previous.ownQuestion && !refusesServiceAction(clause)) acts.add('condition');
    if (/(的|这个|该|此)?(一个)?(情况|问题|现象|故障|bug|BUG|Bug|异常)$/.test(clause.replace(/[\s的了哦呢哈呀啊~～]+$/, '')) || /^(您|你)?(反映|反馈|说|提到)的?/.test(clause) || /(已|已经)(记录|登记|收到|了解|反馈|关注)/.test(clause)) acts.add('symptom');
    // The customer cannot / did not (您无法登录, 您没有提供资料): a symptom or a fact about them, never our refusal.
    // (明天您是收不到的: a flat forecast that the customer will not get it is our dead end, not their symptom)
    if (subject === 'customer' && !WONT_GET_BY.test(clause)) acts.add('symptom');
    else if (has(SAFETY, clause) || (previous !== undefined && has(PROHIBITED, previous.text))) acts.add('warning');
    // 攔截成功，師傅無法配送: the stop the customer asked for succeeded, and this is its effect, not our refusal
    else if (STOPPED.test(beforeNegation) || (previous !== undefined && STOPPED.test(previous.text))) acts.add('information');
    // (帳號停權的原因恕不對外說明: a formal refusal refuses whatever it is about)
    else if (refusesServiceAction(clause) && (!aboutTheProduct(clause, subject) || FORMAL_REFUSAL.test(clause)) && !(subject !== 'agent' && CAPABILITY_ANSWER.test(clause)) && !(subject === 'third-party' && isBareNo(clause))) acts.add('refusal');
    else acts.add('information');
  }
  // (等產後恢復了我們再幫您安排: a wait with our step after it is still an offer)
  if (!negated && (!ONLY_PATIENCE.test(clause) || FOR_YOU_ANYWHERE.test(clause)) && !NO_WAY.test(clause)) {
    if (has(INSTRUCTION, clause)) acts.add('instruction');
    if (has(OFFER, clause) && !reportsOnly(clause, subject) && !putsOff(clause, subject) && !CHECKED_FOR_THEM.test(clause)) acts.add('offer');
  }
  if (!negated && has(PROMISE_WORD, clause)) acts.add('promise');
  // 我一定把您的建议转达给经理, 这次我一定帮您问到底: the agent vouches for its own next step.
  // (EFFORT first: most clauses have none, and then nothing else need be read)
  if (has(EFFORT, clause) && (subject === 'agent' || subject === 'none' || has(OUR_STAFF, clause) || has(FOR_THE_CUSTOMER, clause)) && !has(DONE_BEFORE, clause) && !has(OUTCOME, promisedPart(clause).replace(NOT_AN_OUTCOME, ''))) acts.add('commitment');
  return acts;
}

/**
 * A clause whose acts, subject and hedge are worked out when a rule first asks: most candidates are
 * settled by the clause they stand in, and a reply's other clauses are read only when a rule asks
 * whether the reply offers a way forward.
 */
class LazyClause implements Clause, Before {
  private baseFound: Set<SpeechAct> | undefined;
  private actsFound: Set<SpeechAct> | undefined;
  private subjectFound: Subject | undefined;
  private hedgedFound: boolean | undefined;
  private ownQuestionFound: boolean | undefined;
  /** The next clause of the same sentence (是X，还是Y？ makes X a question too). */
  next: LazyClause | undefined;
  /** The next clause of the turn, in this sentence or the next. */
  following: LazyClause | undefined;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly text: string,
    private readonly sentence: { endsInQuestion: boolean; confirmed: boolean },
    private readonly last: boolean,
    private readonly previous: LazyClause | undefined,
  ) {}

  get subject(): Subject {
    return (this.subjectFound ??= subjectOf(this.text));
  }

  get hedged(): boolean {
    return (this.hedgedFound ??= has(HEDGE, this.text));
  }

  get ownQuestion(): boolean {
    return (this.ownQuestionFound ??= asksByItself(this.text, this.sentence.endsInQuestion, this.last) && !(has(PRESUMED_CAUSE, this.text) && !has(STRONG_QUESTION, this.text)));
  }

  /** A question by itself, or the X of 是X，还是Y？. */
  get question(): boolean {
    return this.ownQuestion || (this.next !== undefined && OR_ELSE.test(this.next.text) && this.next.question);
  }

  /** What it does by its own words and the clause before (which never looks forward: no cycle). */
  private get base(): Set<SpeechAct> {
    return (this.baseFound ??= actsOf(this.text, this.subject, this.ownQuestion, this.previous));
  }

  /** Does an earlier clause of the turn name another party as the cause or the decider? */
  private namedBefore(): boolean {
    for (let c = this.previous; c; c = c.previous) if (namesOtherParty(c)) return true;
    return false;
  }

  /** A consequence marker and a bad outcome here, the customer the subject here (before the marker) or of an earlier clause of the sentence. */
  private customerCaused(): boolean {
    const m = CONSEQUENCE_MARK.exec(this.text);
    if (!m || !has(BAD_OUTCOME, this.text.slice(m.index))) return false;
    if (has(/如果|若|假如|要是|万一|的话/, this.text)) return false;
    // what the customer did wrong (没…, 太…, 这样用, 还是旧的…), not just did (您已经下单了，所以无法修改)
    let faulty = has(CUSTOMER_FAULT, this.text.slice(0, m.index));
    if (this.subject === 'customer' && subjectOf(this.text.slice(0, m.index)) === 'customer') return faulty;
    // Back through the sentence, past greetings (您好), to the nearest clause with a subject or a cause of its own.
    // (您當時沒約 所以今天安排不了: a clause opening with 所以 reaches back into the message before it)
    const linked = /^(所以|因此|因而|于是)/.test(this.text);
    for (let c = this.previous; c && (c.sentence === this.sentence || (linked && c === this.previous)); c = c.previous) {
      if (GREETING.test(c.text)) continue;
      faulty ||= has(CUSTOMER_FAULT, c.text);
      // (您這個可能那邊沒有自提點: a hedged cause is a diagnosis, not a fault)
      if (c.subject === 'customer' || CUSTOMER_OPENS.test(c.text)) return faulty && !c.hedged && !c.acts.has('question') && !c.acts.has('condition') && !c.acts.has('instruction');
      if (c.subject !== 'none' || /^(因|由于)/.test(c.text)) return false;
    }
    return false;
  }

  get condition(): boolean {
    return this.base.has('condition');
  }

  get acts(): ReadonlySet<SpeechAct> {
    if (!this.actsFound) {
      const acts = new Set(this.base);
      if (this.question) acts.add('question');
      // A bare no followed by how the product must be kept or used (不能的哦，这款要冷藏保存; 不可以，要手洗):
      // it answered a question about the product, and the answer goes on to say what to do instead.
      // So is a bare no followed by the fact behind it, told as 是…的 (不可以哦，發票是根據實際支付金額開的).
      if (acts.has('refusal') && this.following && (HANDLING.test(this.following.text) || SAFETY.test(this.following.text) || FACT_BEHIND.test(this.following.text)) && isBareNo(this.text)) {
        acts.delete('refusal');
        acts.add('information');
      }
      // A warning that asks for confirmation (注销后数据无法找回，您确认吗; 订单一旦取消，优惠券无法退回，确认吗): not a refusal.
      if (this.sentence.confirmed && acts.has('refusal') && (has(ONCE_DONE, this.text) || (this.previous !== undefined && has(ONCE_DONE, this.previous.text)))) acts.add('warning');
      // The agent clearing itself after another party was named as the cause or the decider.
      if (this.subject === 'agent' && !acts.has('question') && has(DISCLAIM, this.text) && this.namedBefore()) acts.add('disclaimer');
      // A bad outcome as the consequence of what the customer did (所以审核才会拖这么久).
      if (!acts.has('question') && !acts.has('condition') && this.customerCaused()) acts.add('consequence');
      this.actsFound = acts;
    }
    return this.actsFound;
  }
}

/** Analyse one turn (a line: one reply) of normalized text. */
export function analyzeTurn(text: string, turn: Span): Turn {
  const clauses: LazyClause[] = [];
  // Sentences seen so far: a confirmation question confirms the warnings before it in the reply.
  const sentences: { endsInQuestion: boolean; confirmed: boolean }[] = [];
  let sentenceStart = turn.start;
  for (let i = turn.start; i <= turn.end; i++) {
    if (i < turn.end && !isSentenceBreak(text, i)) continue;
    // One sentence [sentenceStart, i): its clauses.
    let j = i;
    while (j < turn.end && (isSentenceBreak(text, j) || /\s/.test(text[j]!))) j++;
    const sentence = { endsInQuestion: /[?？]/.test(text.slice(i, j)), confirmed: false };
    sentences.push(sentence);
    const spans: Span[] = [];
    let s = sentenceStart;
    for (let k = sentenceStart; k <= i; k++) {
      // isClauseBreak: ，、： and sentence ends, a space between Chinese characters (messages joined) included
      if (k === i || isClauseBreak(text, k)) {
        const span = trimmed(text, s, k);
        if (span.end > span.start) spans.push(span);
        s = k + 1;
      }
    }
    let confirms = false;
    spans.forEach((span, index) => {
      const clauseText = text.slice(span.start, span.end);
      const clause = new LazyClause(span.start, span.end, clauseText, sentence, index === spans.length - 1, clauses[clauses.length - 1]);
      if (index > 0) clauses[clauses.length - 1]!.next = clause;
      if (clauses.length > 0) clauses[clauses.length - 1]!.following = clause;
      clauses.push(clause);
      if (CONFIRMATION.test(clauseText)) confirms = true;
    });
    if (confirms) for (const earlier of sentences) earlier.confirmed = true;
    sentenceStart = j;
    i = Math.max(i, j - 1);
  }
  return { ...turn, clauses };
}

/**
 * The turn (line) around `at`. A line of megabytes (a whole export on one line) is analysed in the
 * bounded blocks that every context window uses (engine/context.ts), so each match costs the same.
 */
export function turnAround(text: string, at: number): Span {
  return spanAround(text, at, at, isLineBreak);
}

/** The clause of `turn` that holds position `at` (or the nearest before it). */
export function clauseAt(turn: Turn, at: number): Clause | undefined {
  let found: Clause | undefined;
  for (const c of turn.clauses) {
    if (c.start <= at) found = c;
    else break;
  }
  return found;
}

/**
 * Does the turn offer an alternative or a next step anywhere but in `except` (the clause being judged,
 * whose own 为您 in 无法为您修改 is no offer)?
 */
export function offersWayForward(turn: Turn, except?: Clause): boolean {
  return turn.clauses.some(
    (c) =>
      c !== except &&
      (c.acts.has('offer') || c.acts.has('instruction') || (except !== undefined && c.start > except.start && CUSTOMER_CONDITION.test(c.text.slice(0, 4)))) &&
      // an offer put as a question is still one (我可以幫您查一下能不能借？); so is 還請您…可以嗎？
      (!c.acts.has('question') || POLITE_REQUEST.test(c.text) || (c.acts.has('offer') && c.subject === 'agent')),
  );
}

/** Does the agent offer to do something itself, anywhere in the turn but `except`? (Telling the customer whom to call is not help.) */
export function offersHelp(turn: Turn, except?: Clause): boolean {
  return turn.clauses.some((c) => c !== except && c.acts.has('offer') && (c.subject === 'agent' || c.subject === 'none') && !c.acts.has('question') && !ONLY_RELAYING.test(c.text));
}

/** 我只是轉達一下: relaying is not help. */
const ONLY_RELAYING = /只是|只系|只能|只可以|只负责|淨系|净系/;

/** 还请您重新下单可以吗？: a request put as a question is still a next step. */
const POLITE_REQUEST = /^(还|烦)?请|^麻烦/;

/** Two Han characters: the refused verb offersContrast looks for. */
const TWO_HAN = new RegExp(`^[${HAN_RANGES}]{2}$`, 'u');

/**
 * The turn says what *can* be done with the refused verb (流量可以結轉，分鐘數不能結轉; 週末不能送，平日可以送):
 * a contrast that leaves the customer a way, not a dead end.
 */
export function offersContrast(turn: Turn, refusal: Clause): boolean {
  const m = NEGATION.exec(refusal.text);
  if (!m) return false;
  const verb = refusal.text.slice(m.index + m[0].length).replace(/^(再|直接|单独|主动|自行|提前)/, '').slice(0, 2);
  if (!TWO_HAN.test(verb)) return false;
  return turn.clauses.some((c) => c !== refusal && new RegExp(`(?<![不没])(可以|能|可)[^，,。！？!?]{0,2}${verb}`).test(c.text));
}

/**
 * An offer in the rest of a clause after a refusal, once the clause turns: 不能退款但可以换货. (Without
 * the turn, 无法给您替换 would offer itself.)
 */
export function offersIn(text: string): boolean {
  // 無法更改的呢，如果您… : the reply goes on to what the customer can do in that case
  if (CUSTOMER_CONDITION.test(text)) return true;
  const turn = /但是|但|不过|可是|只是|然而|惟|或者|或是|可以|建议|只能/.exec(text);
  if (!turn) return false;
  const rest = text.slice(turn.index);
  return has(OFFER, rest) && !ONLY_PATIENCE.test(rest);
}

/**
 * Is `clause` a bare no (不支持的, 不能的呢: nothing after the negation, and no verb of a service before
 * it, as in 改不了的呢)? Read with the customer's question: see asksAboutFact.
 */
export function isBareNo(clause: string): boolean {
  const m = NEGATION.exec(clause);
  if (!m || !BARE_NO.test(clause.slice(m.index + m[0].length))) return false;
  return !(POTENTIAL.test(m[0]) && refusesVerbBefore(clause, m));
}

/**
 * Does the customer's message ask what something is or does (能放常溫嗎？, 支持藍牙嗎？) rather than for a
 * service (能改地址嗎？, 能收到嗎？)? A bare no answering it states a fact.
 */
export function asksAboutFact(customerTurn: string): boolean {
  const asked = normalize(customerTurn).text.trim().replace(A_NOT_A, '');
  const question = has(STRONG_QUESTION, asked) || /[?？]\s*$/.test(asked);
  // a bare no answers only a yes/no question: to 怎麼理解呢？ or 為什麼？ it is no answer at all
  return question && !has(WH_WORD, asked) && !has(SERVICE_ACTION, asked) && !has(ASKED_TO_RECEIVE, asked);
}

/** A question word: the question asks what, how, why, where, how much — not yes or no. */
const WH_WORD = /什么|怎么|怎样|如何|为什么|为何|哪|多少|几|谁|咩|点解|点样|边个|边度/;

/** A customer asking to receive something (能收到吗, 几时到货) asks for a service too. */
const ASKED_TO_RECEIVE = /收到|收货|到货|送到|寄到/;

/** Nothing but particles and forms of address after a negation: 不可以的哦, 不支持的呢亲. */
const BARE_NO = /^[的了哈哦喔噢呢啦呀啊嘛吧亲哟~～!！。.,，\s]*(亲|亲爱的|亲爱哒|小主)?[的了哈哦喔噢呢啦呀啊嘛吧~～!！。.,，\s]*$/;

/** A condition put to the customer (如果您…, 若您…, 如需…): after a refusal, the way it goes on. */
const CUSTOMER_CONDITION = new RegExp(`(如果|若是|若|假如|要是|如)(${CUSTOMER})|如需|如有需要`);

/** A clause as `analyzeReply` reports it: its text and span in the original (unnormalized) reply. */
export interface ClauseView {
  text: string;
  offset: number;
  length: number;
  acts: SpeechAct[];
  subject: Subject;
  hedged: boolean;
}

/**
 * The clause analysis of each line of `text`, as the rules see it (for `huashu analyze`, tests and
 * library users). Offsets are UTF-16 units of `text`, like findings'.
 */
export function analyzeReply(text: string): { clauses: ClauseView[]; alternative: boolean; help: boolean }[] {
  const n = normalize(text);
  const out: { clauses: ClauseView[]; alternative: boolean; help: boolean }[] = [];
  for (let at = 0; at <= n.text.length; ) {
    const turn = analyzeTurn(n.text, turnAround(n.text, at));
    out.push({
      clauses: turn.clauses.map((c) => {
        const { offset, length } = toOriginalSpan(n, c.start, c.end);
        return { text: text.slice(offset, offset + length), offset, length, acts: [...c.acts], subject: c.subject, hedged: c.hedged };
      }),
      alternative: offersWayForward(turn),
      help: offersHelp(turn),
    });
    // Past the line break, or on from a block edge of a very long line.
    at = turn.end < n.text.length && isLineBreak(n.text, turn.end) ? turn.end + 1 : Math.max(turn.end, at + 1);
  }
  return out;
}
