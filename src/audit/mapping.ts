// Which column holds what: the message text, the speaker's role, the conversation, the agent, the time
// the turn number and the team or queue. Named with --text, --role, … or recognised from common export headers.
// Also the role values: which speakers are agents (audited) and which are customers (kept as context).

export const FIELDS = ['text', 'role', 'conversation', 'agent', 'time', 'turn', 'team'] as const;
export type Field = (typeof FIELDS)[number];

/** Header names are compared lower-cased, without spaces, `_`, `-` and `.`. */
export function normalizeHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').toLowerCase().replace(/[\s_\-.]/g, '');
}

/** Recognised headers, best first, in normalized form (simplified and traditional spellings). */
export const HEADER_NAMES: Record<Field, readonly string[]> = {
  text: ['message', 'content', 'text', 'body', 'msg', 'utterance', 'reply', '内容', '內容', '消息', '讯息', '訊息', '消息内容', '訊息內容', '对话内容', '對話內容', '聊天内容', '聊天內容', '回复内容', '回覆內容'],
  role: ['speaker', 'role', 'sender', 'from', 'speakerrole', 'sendertype', 'author', '角色', '发送者', '發送者', '发送方', '發送方', '说话人', '說話人', '身份'],
  conversation: ['conversationid', 'conversation', 'dialogueid', 'dialogid', 'dialogue', 'dialog', 'sessionid', 'session', 'chatid', 'ticketid', 'ticket', 'threadid', '会话id', '會話id', '会话', '會話', '对话id', '對話id', '对话', '對話', '会话编号', '會話編號', '工单号', '工單號'],
  agent: ['agentname', 'agentid', 'agent', 'operator', 'staff', '客服', '坐席', '客服专员', '客服專員', '客服名称', '客服名稱', '客服姓名', '坐席工号', '坐席工號'],
  time: ['timestamp', 'time', 'datetime', 'createdat', 'sentat', 'date', '时间', '時間', '发送时间', '發送時間', '日期'],
  turn: ['turn', 'turnid', 'seq', 'sequence', '序号', '序號', '轮次', '輪次'],
  team: ['team', 'queue', 'teamname', 'queuename', 'skillgroup', 'agentgroup', 'group', '团队', '團隊', '队列', '隊列', '技能组', '技能組', '班组', '班組', '组别', '組別', '小组', '小組'],
};

/** Role values meaning "agent" and "customer" (compared trimmed and lower-cased). */
export const AGENT_ROLES: readonly string[] = ['agent', 'helpdesk', 'staff', 'support', 'service', 'operator', 'waiter', 'cs', 'assistant', '客服', '坐席', '客服专员', '客服專員', '人工客服', '客服人员', '客服人員', '专员', '專員'];
export const CUSTOMER_ROLES: readonly string[] = ['customer', 'user', 'client', 'visitor', 'buyer', 'guest', '客户', '客戶', '顾客', '顧客', '用户', '用戶', '买家', '買家', '访客', '訪客', '消费者', '消費者'];

export interface MappingOptions {
  text?: string;
  role?: string;
  conversation?: string;
  agent?: string;
  time?: string;
  turn?: string;
  team?: string;
  agentRole?: readonly string[];
  customerRole?: readonly string[];
}

/** Column (CSV header or JSON key) per field; plain data, sent to the workers with every batch. */
export interface Mapping {
  columns: Partial<Record<Field, string>>;
  /** Fields that were recognised rather than named by an option. */
  detected: Field[];
  /** Options that named a column the input does not have. */
  missing: Field[];
  agentRoles: string[];
  customerRoles: string[];
  /** `--id` columns passed through to the result lines (run.ts). */
  ids?: string[];
}

const roleKey = (v: string) => v.trim().toLowerCase();

export function detectMapping(names: readonly string[], options: MappingOptions = {}): Mapping {
  const columns: Partial<Record<Field, string>> = {};
  const detected: Field[] = [];
  const missing: Field[] = [];
  const used = new Set<string>();
  for (const field of FIELDS) {
    const wanted = options[field];
    if (wanted === undefined) continue;
    // An option names a column exactly, or failing that by its normalized form.
    const found = names.find((n) => n === wanted) ?? names.find((n) => normalizeHeader(n) === normalizeHeader(wanted));
    if (found === undefined) missing.push(field);
    columns[field] = found ?? wanted;
    used.add(found ?? wanted);
  }
  const normalized = names.map(normalizeHeader);
  for (const field of FIELDS) {
    if (options[field] !== undefined) continue;
    for (const candidate of HEADER_NAMES[field]) {
      const i = normalized.findIndex((n, k) => n === candidate && !used.has(names[k]!));
      if (i >= 0) {
        columns[field] = names[i]!;
        used.add(names[i]!);
        detected.push(field);
        break;
      }
    }
  }
  return {
    columns,
    detected,
    missing,
    agentRoles: (options.agentRole ?? AGENT_ROLES).map(roleKey),
    customerRoles: (options.customerRole ?? CUSTOMER_ROLES).map(roleKey),
  };
}

/** A column mapping that cannot be right for a whole input: a usage error, not one error per row. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/**
 * Why `m` cannot be used with these column names (a CSV header, or the keys of the first JSON objects):
 * an option names a column that is not there, or a column it reads appears twice in a header (which of
 * the two would be silently taken?). Undefined when it can.
 */
export function mappingProblem(names: readonly string[], m: Mapping, options: MappingOptions, what: 'header' | 'keys'): string | undefined {
  const field = m.missing[0];
  if (field !== undefined) {
    const shown = names.length > 12 ? [...names.slice(0, 12), '…'] : names;
    return `--${field} ${options[field]}: no such column (the ${what === 'header' ? 'header has' : 'objects have'}: ${shown.join(', ')})`;
  }
  if (what === 'header') {
    for (const f of FIELDS) {
      const column = m.columns[f];
      if (column === undefined) continue;
      const at = names.flatMap((n, i) => (n === column ? [i + 1] : []));
      if (at.length > 1) return `the header has '${column}' (the ${f} column) ${at.length} times (fields ${at.join(', ')}): rename all but one`;
    }
  }
  return undefined;
}

/** One line for the user: what was found where. */
export function describeMapping(m: Mapping): string {
  const parts = FIELDS.filter((f) => m.columns[f] !== undefined).map((f) => `${f}=${m.columns[f]}${m.missing.includes(f) ? ' (not found)' : ''}`);
  if (m.columns.role === undefined) parts.push('no role column: every row is audited as an agent reply');
  if (m.columns.text === undefined) parts.push('no text column: name it with --text');
  return parts.join(', ');
}

export type Role = 'agent' | 'customer' | 'other';

export function classifyRole(value: string | undefined, m: Mapping): Role {
  if (m.columns.role === undefined) return 'agent';
  if (value === undefined) return 'other';
  const v = roleKey(value);
  if (m.agentRoles.includes(v)) return 'agent';
  if (m.customerRoles.includes(v)) return 'customer';
  return 'other';
}

/** A field value as text: strings as they are, numbers and booleans printed, anything else absent. */
export function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}
