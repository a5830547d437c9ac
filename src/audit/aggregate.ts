// Running totals over the audited rows, in input order, in bounded memory: counts per category, rule,
// phrase, agent and day, a few examples per rule, and the rows = audited + skipped + errors ledger.
import type { Severity } from '../rules/types.js';
import type { Mapping } from './mapping.js';
import type { AuditFinding, ErrorCode, SkipCode } from './records.js';

export interface FileSummary {
  file: string;
  format?: string;
  encoding?: string;
  gzip?: boolean;
  columns?: Mapping['columns'];
  rows: number;
  audited: number;
  skipped: number;
  errors: number;
  /** Why the file could not be read at all (missing, a directory, …). */
  error?: string;
}

export interface RuleCount {
  rule: string;
  category: string;
  severity: Severity;
  findings: number;
}

export interface PhraseCount {
  phrase: string;
  category: string;
  rule: string;
  count: number;
}

export interface AgentRow {
  agent: string;
  replies: number;
  findings: number;
  /** Findings per 100 replies. */
  rate: number;
  worstCategory?: string;
}

export interface DayRow {
  day: string;
  replies: number;
  findings: number;
  rate: number;
}

export interface AuditSummary {
  rows: number;
  audited: number;
  skipped: number;
  errors: number;
  findings: number;
  /** Audited replies with at least one finding. */
  flaggedReplies: number;
  /** Findings per 100 audited agent replies. */
  rate: number;
  skippedBy: Partial<Record<SkipCode, number>>;
  /** Role values that were neither agent nor customer, with their counts (the first 50 kinds). */
  otherRoles: Record<string, number>;
  errorsBy: Partial<Record<ErrorCode, number>>;
  bySeverity: Record<Severity, number>;
  byCategory: Record<string, number>;
  byRule: RuleCount[];
  topPhrases: PhraseCount[];
  byAgent: AgentRow[];
  byDay: DayRow[];
  files: FileSummary[];
}

/** An example finding for the report: where it is, with its context, and what was found. */
export interface Example extends AuditedRow {
  rule: string;
  category: string;
  severity: Severity;
  message: string;
  excerpt: string;
  before: string;
  after: string;
  suggestion?: string;
}

/** Where an audited reply is, and its context. */
export interface AuditedRow {
  file: string;
  row: number;
  conversation?: string;
  turn?: string;
  agent?: string;
  time?: string;
  customer?: string;
}

const MAX_PHRASES = 10_000;
const MAX_OTHER_ROLES = 50;
/**
 * Agents counted by name; the replies of any further ones are counted together under OTHER_AGENTS (an
 * export with a unique id in the agent column would otherwise grow the map by a row each row).
 */
export const MAX_AGENTS = 10_000;
export const OTHER_AGENTS = '(other agents)';
const EXAMPLES_PER_RULE = 3;
export const TOP = 20;

const per100 = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 100);

/** The calendar day of a timestamp: `2024-05-01 …`, `2024/5/1`, or epoch seconds / milliseconds (UTC). */
export function dayOf(time: string | undefined): string | undefined {
  if (!time) return undefined;
  const t = time.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(t);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  if (/^\d{10}(\.\d+)?$|^\d{13}$/.test(t)) {
    const ms = t.length === 13 ? Number(t) : Number(t) * 1000;
    return new Date(ms).toISOString().slice(0, 10);
  }
  return undefined;
}

export class Aggregator {
  rows = 0;
  audited = 0;
  skipped = 0;
  errors = 0;
  findings = 0;
  flagged = 0;
  private readonly skippedBy = new Map<SkipCode, number>();
  private readonly otherRoles = new Map<string, number>();
  private readonly errorsBy = new Map<ErrorCode, number>();
  private readonly bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private readonly byCategory = new Map<string, number>();
  private readonly byRule = new Map<string, RuleCount>();
  private readonly phrases = new Map<string, PhraseCount>();
  private readonly agents = new Map<string, { replies: number; findings: number; categories: Map<string, number> }>();
  private readonly days = new Map<string, { replies: number; findings: number }>();
  readonly examples = new Map<string, Example[]>();
  readonly files: FileSummary[] = [];

  addError(file: FileSummary, code: ErrorCode): void {
    this.rows++;
    this.errors++;
    file.rows++;
    file.errors++;
    this.errorsBy.set(code, (this.errorsBy.get(code) ?? 0) + 1);
  }

  addSkipped(file: FileSummary, code: SkipCode, roleValue?: string): void {
    this.rows++;
    this.skipped++;
    file.rows++;
    file.skipped++;
    this.skippedBy.set(code, (this.skippedBy.get(code) ?? 0) + 1);
    if (code === 'other-role') {
      const key = roleValue ?? '(none)';
      if (this.otherRoles.has(key) || this.otherRoles.size < MAX_OTHER_ROLES) this.otherRoles.set(key, (this.otherRoles.get(key) ?? 0) + 1);
    }
  }

  addAudited(file: FileSummary, r: AuditedRow, findings: readonly AuditFinding[]): void {
    this.rows++;
    this.audited++;
    file.rows++;
    file.audited++;
    const n = findings.length;
    this.findings += n;
    if (n > 0) this.flagged++;

    let agentKey = r.agent?.trim() || undefined;
    if (agentKey !== undefined) {
      if (!this.agents.has(agentKey) && this.agents.size >= MAX_AGENTS) agentKey = OTHER_AGENTS;
      let a = this.agents.get(agentKey);
      if (!a) this.agents.set(agentKey, (a = { replies: 0, findings: 0, categories: new Map() }));
      a.replies++;
      a.findings += n;
      for (const f of findings) a.categories.set(f.category, (a.categories.get(f.category) ?? 0) + 1);
    }
    const day = dayOf(r.time);
    if (day !== undefined) {
      let d = this.days.get(day);
      if (!d) this.days.set(day, (d = { replies: 0, findings: 0 }));
      d.replies++;
      d.findings += n;
    }
    for (const f of findings) {
      this.bySeverity[f.severity]++;
      this.byCategory.set(f.category, (this.byCategory.get(f.category) ?? 0) + 1);
      const rule = this.byRule.get(f.ruleId);
      if (rule) rule.findings++;
      else this.byRule.set(f.ruleId, { rule: f.ruleId, category: f.category, severity: f.severity, findings: 1 });
      const phraseKey = `${f.category}\u0000${f.excerpt}`;
      const phrase = this.phrases.get(phraseKey);
      if (phrase) phrase.count++;
      else if (this.phrases.size < MAX_PHRASES) this.phrases.set(phraseKey, { phrase: f.excerpt, category: f.category, rule: f.ruleId, count: 1 });
      const examples = this.examples.get(f.ruleId) ?? [];
      if (examples.length < EXAMPLES_PER_RULE) {
        examples.push({
          file: r.file,
          row: r.row,
          conversation: r.conversation,
          turn: r.turn,
          agent: r.agent,
          time: r.time,
          rule: f.ruleId,
          category: f.category,
          severity: f.severity,
          message: f.message,
          excerpt: f.excerpt,
          before: f.before,
          after: f.after,
          suggestion: f.suggestions[0]?.text,
          customer: r.customer,
        });
        this.examples.set(f.ruleId, examples);
      }
    }
  }

  summary(): AuditSummary {
    const sortedRecord = <K extends string>(m: Map<K, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) as Record<K, number>;
    return {
      rows: this.rows,
      audited: this.audited,
      skipped: this.skipped,
      errors: this.errors,
      findings: this.findings,
      flaggedReplies: this.flagged,
      rate: per100(this.findings, this.audited),
      skippedBy: sortedRecord(this.skippedBy),
      otherRoles: sortedRecord(this.otherRoles),
      errorsBy: sortedRecord(this.errorsBy),
      bySeverity: { ...this.bySeverity },
      byCategory: sortedRecord(this.byCategory),
      byRule: [...this.byRule.values()].sort((a, b) => b.findings - a.findings || (a.rule < b.rule ? -1 : 1)),
      topPhrases: [...this.phrases.values()].sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : 1)).slice(0, TOP),
      byAgent: [...this.agents]
        .map(([agent, a]) => ({
          agent,
          replies: a.replies,
          findings: a.findings,
          rate: per100(a.findings, a.replies),
          worstCategory: [...a.categories].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0],
        }))
        .sort((a, b) => b.rate - a.rate || b.replies - a.replies || (a.agent < b.agent ? -1 : 1)),
      byDay: [...this.days].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, d]) => ({ day, replies: d.replies, findings: d.findings, rate: per100(d.findings, d.replies) })),
      files: this.files,
    };
  }
}
