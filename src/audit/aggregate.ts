// Running totals over the audited rows, in input order, in bounded memory: counts per category, rule,
// phrase, agent, team and day, scores (scoring.ts), a few examples per rule, and the rows = audited +
// skipped + errors ledger. The headline counts (findings, rate, flagged replies, categories, phrases,
// agents, teams, days, files) are of warnings and errors; info findings are counted apart (`info`).
import type { Severity } from '../rules/types.js';
import type { Field, Mapping } from './mapping.js';
import type { AuditFinding, ErrorCode, SkipCode } from './records.js';
import type { Comparison } from './compare.js';
import { CONVERSATIONS_OPEN, DEFAULT_SCORING, Scorer, type ScoredConversation, type ScoreStats, type ScoresSummary, type ScoringModel } from './scoring.js';
import { thousands } from '../formatters/thousands.js';

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
  /** Warning and error findings in its replies. */
  findings?: number;
  /** Info findings in its replies. */
  info?: number;
  /** Findings (warnings and errors) per 100 audited replies. */
  rate?: number;
  /** Its conversations' scores (scores.byFile). */
  score?: ScoreStats;
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
  /** Warnings and errors. */
  findings: number;
  /** Findings (warnings and errors) per 100 replies. */
  rate: number;
  /** Info findings, apart. */
  info: number;
  worstCategory?: string;
  /** Mean score of its conversations (scores.byAgent), pass rate, fatal conversations. */
  score?: number;
  passRate?: number;
  fatal?: number;
  conversations?: number;
}

export interface TeamRow extends Omit<AgentRow, 'agent'> {
  team: string;
}

export interface DayRow {
  day: string;
  replies: number;
  findings: number;
  rate: number;
  info: number;
}

/** A section that is empty or partial because a column is missing, and the option that names it. */
export interface SectionNote {
  section: 'agents' | 'teams' | 'days' | 'scores';
  column: Field;
  option: string;
  /** Audited replies without a value for it. */
  replies: number;
  /** Inputs with no such column. */
  files: string[];
  message: string;
}

/** Measured precision of a rule from reviews (huashu review import): written into the summary by the review loop. */
export interface RulePrecision {
  precision: number;
  /** Confidence interval. */
  lo: number;
  hi: number;
  /** Reviewed findings. */
  n: number;
}

export interface AuditSummary {
  rows: number;
  audited: number;
  skipped: number;
  errors: number;
  /** Warning and error findings (info is counted apart, in `info`). */
  findings: number;
  /** Audited replies with at least one warning or error. */
  flaggedReplies: number;
  /** Findings (warnings and errors) per 100 audited agent replies. */
  rate: number;
  /** Info findings: advice, kept out of the headline, the ranking and the scores' default points. */
  info: { findings: number; flaggedReplies: number; rate: number; byCategory: Record<string, number> };
  skippedBy: Partial<Record<SkipCode, number>>;
  /** Role values that were neither agent nor customer, with their counts (the first 50 kinds). */
  otherRoles: Record<string, number>;
  errorsBy: Partial<Record<ErrorCode, number>>;
  bySeverity: Record<Severity, number>;
  byCategory: Record<string, number>;
  byRule: RuleCount[];
  topPhrases: PhraseCount[];
  byAgent: AgentRow[];
  byTeam: TeamRow[];
  byDay: DayRow[];
  files: FileSummary[];
  scores: ScoresSummary;
  /** Sections that are empty or partial for want of a column. */
  notes: SectionNote[];
  /** A few findings per rule, with their context (what compare shows behind a change). */
  examples: Record<string, Example[]>;
  /** Each rule's precision measured in reviews, when given (rendered in the reports' rules tables). */
  reviewPrecision?: Record<string, RulePrecision>;
  /** The change from a previous summary (audit --previous), as `huashu audit compare` reports it. */
  trend?: Comparison;
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
  team?: string;
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
export const OTHER_TEAMS = '(other teams)';
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

/** Replies, findings and info per value of a column (agent, team), the first MAX_AGENTS values by name. */
class Breakdown {
  readonly rows = new Map<string, { replies: number; findings: number; info: number; categories: Map<string, number> }>();
  missing = 0;
  constructor(private readonly other: string) {}

  add(value: string | undefined, findings: readonly AuditFinding[], counted: number): void {
    let key = value?.trim() || undefined;
    if (key === undefined) {
      this.missing++;
      return;
    }
    if (!this.rows.has(key) && this.rows.size >= MAX_AGENTS) key = this.other;
    let a = this.rows.get(key);
    if (!a) this.rows.set(key, (a = { replies: 0, findings: 0, info: 0, categories: new Map() }));
    a.replies++;
    a.findings += counted;
    a.info += findings.length - counted;
    for (const f of findings) if (f.severity !== 'info') a.categories.set(f.category, (a.categories.get(f.category) ?? 0) + 1);
  }

  out(scores: ReadonlyMap<string, ScoreStats>) {
    const byName = scores;
    return [...this.rows]
      .map(([name, a]) => {
        const s = byName.get(name);
        return {
          name,
          replies: a.replies,
          findings: a.findings,
          rate: per100(a.findings, a.replies),
          info: a.info,
          worstCategory: [...a.categories].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0],
          ...(s ? { score: s.score, passRate: s.passRate, fatal: s.fatal, conversations: s.conversations } : {}),
        };
      })
      .sort((a, b) => b.rate - a.rate || b.replies - a.replies || (a.name < b.name ? -1 : 1));
  }
}

export class Aggregator {
  rows = 0;
  audited = 0;
  skipped = 0;
  errors = 0;
  /** Warnings and errors. */
  findings = 0;
  flagged = 0;
  info = 0;
  infoFlagged = 0;
  private readonly skippedBy = new Map<SkipCode, number>();
  private readonly otherRoles = new Map<string, number>();
  private readonly errorsBy = new Map<ErrorCode, number>();
  private readonly bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private readonly byCategory = new Map<string, number>();
  private readonly infoByCategory = new Map<string, number>();
  private readonly byRule = new Map<string, RuleCount>();
  private readonly phrases = new Map<string, PhraseCount>();
  private readonly agents = new Breakdown(OTHER_AGENTS);
  private readonly teams = new Breakdown(OTHER_TEAMS);
  private readonly days = new Map<string, { replies: number; findings: number; info: number }>();
  private noDay = 0;
  private noConversation = 0;
  private readonly scorer: Scorer;
  readonly examples = new Map<string, Example[]>();
  readonly files: FileSummary[] = [];

  /** `onScored`: told of each conversation as it is scored (audit --scores). */
  constructor(scoring: ScoringModel = DEFAULT_SCORING, onScored?: (c: ScoredConversation) => void) {
    this.scorer = new Scorer(scoring, CONVERSATIONS_OPEN, onScored);
  }

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

  /** The rules of these findings that addAudited would keep an example of (the first EXAMPLES_PER_RULE of each). */
  rulesTakingExamples(findings: readonly AuditFinding[]): string[] {
    const rules: string[] = [];
    for (const f of findings) if ((this.examples.get(f.ruleId)?.length ?? 0) < EXAMPLES_PER_RULE && !rules.includes(f.ruleId)) rules.push(f.ruleId);
    return rules;
  }

  addAudited(file: FileSummary, r: AuditedRow, findings: readonly AuditFinding[]): void {
    this.rows++;
    this.audited++;
    file.rows++;
    file.audited++;
    let n = 0;
    for (const f of findings) if (f.severity !== 'info') n++;
    const info = findings.length - n;
    this.findings += n;
    this.info += info;
    if (n > 0) this.flagged++;
    if (info > 0) this.infoFlagged++;
    file.findings = (file.findings ?? 0) + n;
    file.info = (file.info ?? 0) + info;
    if (!r.conversation) this.noConversation++;

    this.agents.add(r.agent, findings, n);
    this.teams.add(r.team, findings, n);
    this.scorer.add(file.file, r, findings);
    const day = dayOf(r.time);
    if (day !== undefined) {
      let d = this.days.get(day);
      if (!d) this.days.set(day, (d = { replies: 0, findings: 0, info: 0 }));
      d.replies++;
      d.findings += n;
      d.info += info;
    } else {
      this.noDay++;
    }
    for (const f of findings) {
      this.bySeverity[f.severity]++;
      const categories = f.severity === 'info' ? this.infoByCategory : this.byCategory;
      categories.set(f.category, (categories.get(f.category) ?? 0) + 1);
      const rule = this.byRule.get(f.ruleId);
      if (rule) rule.findings++;
      else this.byRule.set(f.ruleId, { rule: f.ruleId, category: f.category, severity: f.severity, findings: 1 });
      if (f.severity !== 'info') {
        const phraseKey = `${f.category}\u0000${f.excerpt}`;
        const phrase = this.phrases.get(phraseKey);
        if (phrase) phrase.count++;
        else if (this.phrases.size < MAX_PHRASES) this.phrases.set(phraseKey, { phrase: f.excerpt, category: f.category, rule: f.ruleId, count: 1 });
      }
      const examples = this.examples.get(f.ruleId) ?? [];
      if (examples.length < EXAMPLES_PER_RULE) {
        examples.push({
          file: r.file,
          row: r.row,
          conversation: r.conversation,
          turn: r.turn,
          agent: r.agent,
          team: r.team,
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

  /** Sections left empty or partial for want of a column, said with the option that names it. */
  private notes(): SectionNote[] {
    const notes: SectionNote[] = [];
    const lacking = (field: Field) => this.files.filter((f) => f.columns !== undefined && f.audited > 0 && f.columns[field] === undefined).map((f) => f.file);
    const say = (section: SectionNote['section'], column: Field, option: string, replies: number, what: string, consequence: string) => {
      if (replies === 0) return;
      const files = lacking(column);
      const read = [...new Set(this.files.map((f) => f.columns?.[column]).filter((c): c is string => c !== undefined))];
      const where =
        files.length > 0
          ? ` (no ${column} column in ${files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ')})`
          : read.length > 0
            ? ` (the ${column} column: ${read.slice(0, 3).join(', ')})`
            : '';
      const audited = thousands(this.audited);
      const who = replies === this.audited ? `none of the ${audited} audited replies has ${what === 'agent' ? 'an' : 'a'} ${what}` : `${thousands(replies)} of ${audited} audited replies have no ${what}`;
      notes.push({ section, column, option, replies, files, message: `${who}${where}: ${consequence}; name the column with ${option} <column>` });
    };
    say('agents', 'agent', '--agent', this.agents.missing, 'agent', 'they are in no agent row');
    say('teams', 'team', '--team', this.teams.missing, 'team or queue', 'they are in no team row');
    say('days', 'time', '--time', this.noDay, 'readable date', 'they are in no day row (dates: 2024-05-01…, 2024/5/1, 2024年5月1日, epoch seconds or milliseconds)');
    say('scores', 'conversation', '--conversation', this.noConversation, 'conversation id', 'each is scored as a conversation of its own');
    return notes;
  }

  summary(): AuditSummary {
    const sortedRecord = <K extends string>(m: Map<K, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) as Record<K, number>;
    const scores = this.scorer.finish();
    const fileScores = new Map(scores.byFile.map(({ file, ...s }) => [file, s]));
    for (const f of this.files) {
      if (f.findings === undefined) continue;
      f.rate = per100(f.findings, f.audited);
      const s = fileScores.get(f.file);
      if (s) f.score = s;
    }
    return {
      rows: this.rows,
      audited: this.audited,
      skipped: this.skipped,
      errors: this.errors,
      findings: this.findings,
      flaggedReplies: this.flagged,
      rate: per100(this.findings, this.audited),
      info: { findings: this.info, flaggedReplies: this.infoFlagged, rate: per100(this.info, this.audited), byCategory: sortedRecord(this.infoByCategory) },
      skippedBy: sortedRecord(this.skippedBy),
      otherRoles: sortedRecord(this.otherRoles),
      errorsBy: sortedRecord(this.errorsBy),
      bySeverity: { ...this.bySeverity },
      byCategory: sortedRecord(this.byCategory),
      byRule: [...this.byRule.values()].sort((a, b) => b.findings - a.findings || (a.rule < b.rule ? -1 : 1)),
      topPhrases: [...this.phrases.values()].sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : 1)).slice(0, TOP),
      byAgent: this.agents.out(new Map(scores.byAgent.map(({ agent, ...s }) => [agent, s]))).map(({ name, ...a }) => ({ agent: name, ...a })),
      byTeam: this.teams.out(new Map(scores.byTeam.map(({ team, ...s }) => [team, s]))).map(({ name, ...a }) => ({ team: name, ...a })),
      byDay: [...this.days].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, d]) => ({ day, replies: d.replies, findings: d.findings, rate: per100(d.findings, d.replies), info: d.info })),
      files: this.files,
      scores,
      notes: this.notes(),
      examples: Object.fromEntries(this.examples),
    };
  }
}
