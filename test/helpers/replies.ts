// Our own customer and agent sentences for the audit tests' exports (a few with findings, a few without):
// repeated across conversations, as macros are.
export const CUSTOMER_TURNS = ['我的订单怎么还没发货？', '东西收到就坏了怎么办', '退款什么时候能到账', '你们这个活动到底怎么算的'];
export const AGENT_TURNS = [
  '您好，这批货一定会在周五前送到，我保证。',
  '实在抱歉，都怪快递公司送错了地址。',
  '这个是您自己没看清楚规则，我也没办法。',
  '好的，已经为您登记，预计三个工作日内处理完毕。',
  '您的退款一定会在今天到账。',
  '感谢您的耐心等待，我们会尽快跟进。',
  '这个问题我们没办法处理。',
  '我保证下周一前给您答复。',
];
