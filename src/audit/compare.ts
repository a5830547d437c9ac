// Trends: two audit summaries (last month's and this month's) compared — the headline, each category,
// rule, agent and team, with counts and rates per 100 replies, the change, and whether it is more than
// chance (a z score on the two rates, taking findings as Poisson counts) — plus the replies behind the
// biggest rule changes (the examples each summary keeps per rule).
// Summaries written before info was counted apart (no `info` field) have it taken out of their totals.
import type { AuditSummary, Example } from './aggregate.js';
import { thousands } from '../formatters/thousands.js';

export interface Side {
  count: number;
  /** Replies it is a rate of. */
  replies: number;
  /** Per 100 replies. */
  rate: number;
}

export interface Change {
  key: string;
  old: Side;
  new: Side;
  /** new − old, in findings and per 100 replies. */
  delta: number;
  deltaRate: number;
  /** The change in rate over its standard error: |z| ≥ 1.96 is unlikely by chance (p < 0.05). */
  z: number;
  significant: boolean;
}

export interface ScoreChange {
  key: string;
  old?: number;
  new?: number;
  delta?: number;
  oldPassRate?: number;
  newPassRate?: number;
}

export interface Comparison {
  old: { name: string; audited: number; findings: number; rate: number };
  new: { name: string; audited: number; findings: number; rate: number };
  findings: Change;
  flaggedReplies: Change;
  info: Change;
  score?: ScoreChange;
  byCategory: Change[];
  byRule: (Change & { category: string; severity: string })[];
  byAgent: (Change & { score?: ScoreChange })[];
  byTeam: (Change & { score?: ScoreChange })[];
  /** The replies behind the biggest rule changes: examples from the newer summary for a rise, the older for a fall. */
  behind: { rule: string; deltaRate: number; from: 'old' | 'new'; examples: Example[] }[];
}

/** What compare reads of a summary: any summary huashu audit wrote (older ones lack some fields). */
export type SummaryLike = Pick<AuditSummary, 'audited' | 'findings' | 'flaggedReplies' | 'byCategory' | 'byRule' | 'byAgent'> & Partial<AuditSummary>;

const round2 = (x: number) => Math.round(x * 100) / 100;
const per100 = (k: number, n: number) => (n === 0 ? 0 : round2((100 * k) / n));
const BEHIND = 5;
const Z = 1.96;

function change(key: string, k1: number, n1: number, k2: number, n2: number): Change {
  const r1 = n1 ? k1 / n1 : 0;
  const r2 = n2 ? k2 / n2 : 0;
  const variance = (n1 ? k1 / (n1 * n1) : 0) + (n2 ? k2 / (n2 * n2) : 0);
  const z = variance > 0 ? round2((r2 - r1) / Math.sqrt(variance)) : 0;
  return {
    key,
    old: { count: k1, replies: n1, rate: per100(k1, n1) },
    new: { count: k2, replies: n2, rate: per100(k2, n2) },
    delta: k2 - k1,
    deltaRate: round2(per100(k2, n2) - per100(k1, n1)),
    z,
    significant: Math.abs(z) >= Z,
  };
}

/** Biggest change in rate first; then by name. */
const biggest = (a: Change, b: Change) => Math.abs(b.deltaRate) - Math.abs(a.deltaRate) || Math.abs(b.delta) - Math.abs(a.delta) || (a.key < b.key ? -1 : 1);

/** Info findings of a summary, and whether its totals include them (summaries before `info` was apart). */
function infoOf(s: SummaryLike): { count: number; included: boolean; flagged: number } {
  if (s.info) return { count: s.info.findings, included: false, flagged: s.info.flaggedReplies };
  return { count: s.bySeverity?.info ?? 0, included: true, flagged: 0 };
}

/** The warning/error count of a category in a summary (older ones counted info rules in it). */
function categoryCount(s: SummaryLike, category: string): number {
  const k = s.byCategory[category] ?? 0;
  if (s.info) return k;
  return k - s.byRule.filter((r) => r.category === category && r.severity === 'info').reduce((n, r) => n + r.findings, 0);
}

export function compareSummaries(older: SummaryLike, newer: SummaryLike, names: { old: string; new: string } = { old: 'old', new: 'new' }): Comparison {
  const n1 = older.audited;
  const n2 = newer.audited;
  const i1 = infoOf(older);
  const i2 = infoOf(newer);
  const f1 = older.findings - (i1.included ? i1.count : 0);
  const f2 = newer.findings - (i2.included ? i2.count : 0);

  const categories = [...new Set([...Object.keys(older.byCategory), ...Object.keys(newer.byCategory)])];
  const byCategory = categories
    .map((c) => change(c, categoryCount(older, c), n1, categoryCount(newer, c), n2))
    .filter((c) => c.old.count || c.new.count)
    .sort(biggest);

  const rules = new Map<string, { category: string; severity: string }>();
  for (const r of [...older.byRule, ...newer.byRule]) rules.set(r.rule, { category: r.category, severity: r.severity });
  const count = (s: SummaryLike, rule: string) => s.byRule.find((r) => r.rule === rule)?.findings ?? 0;
  const byRule = [...rules].map(([rule, r]) => ({ ...change(rule, count(older, rule), n1, count(newer, rule), n2), ...r })).sort(biggest);

  const people = <R extends { replies: number; findings: number; info?: number; score?: number; passRate?: number }>(a: readonly R[], b: readonly R[], name: (r: R) => string) => {
    const left = new Map(a.map((r) => [name(r), r]));
    const right = new Map(b.map((r) => [name(r), r]));
    return [...new Set([...left.keys(), ...right.keys()])]
      .map((key) => {
        const x = left.get(key);
        const y = right.get(key);
        const c = change(key, x?.findings ?? 0, x?.replies ?? 0, y?.findings ?? 0, y?.replies ?? 0);
        const score: ScoreChange | undefined =
          x?.score !== undefined || y?.score !== undefined
            ? { key, old: x?.score, new: y?.score, delta: x?.score !== undefined && y?.score !== undefined ? round2(y.score - x.score) : undefined, oldPassRate: x?.passRate, newPassRate: y?.passRate }
            : undefined;
        return score ? { ...c, score } : c;
      })
      .sort(biggest);
  };

  const behind: Comparison['behind'] = [];
  for (const r of byRule) {
    if (behind.length >= BEHIND) break;
    if (r.deltaRate === 0) continue;
    const from = r.deltaRate > 0 ? 'new' : 'old';
    const examples = (from === 'new' ? newer : older).examples?.[r.key] ?? [];
    behind.push({ rule: r.key, deltaRate: r.deltaRate, from, examples });
  }

  const s1 = older.scores;
  const s2 = newer.scores;
  return {
    old: { name: names.old, audited: n1, findings: f1, rate: per100(f1, n1) },
    new: { name: names.new, audited: n2, findings: f2, rate: per100(f2, n2) },
    findings: change('findings', f1, n1, f2, n2),
    flaggedReplies: change('flagged replies', older.flaggedReplies, n1, newer.flaggedReplies, n2),
    info: change('info', i1.count, n1, i2.count, n2),
    ...(s1 || s2
      ? { score: { key: 'score', old: s1?.score, new: s2?.score, delta: s1 && s2 ? round2(s2.score - s1.score) : undefined, oldPassRate: s1?.passRate, newPassRate: s2?.passRate } }
      : {}),
    byCategory,
    byRule,
    byAgent: people(older.byAgent, newer.byAgent, (r) => r.agent),
    byTeam: people(older.byTeam ?? [], newer.byTeam ?? [], (r) => r.team),
    behind,
  };
}

/** Is this parsed JSON an audit summary? A message saying what is wrong, or undefined. */
export function summaryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const key of ['audited', 'findings', 'flaggedReplies']) if (typeof v[key] !== 'number') return `no '${key}' number: not a summary written by huashu audit --summary`;
  if (typeof v['byCategory'] !== 'object' || !Array.isArray(v['byRule']) || !Array.isArray(v['byAgent'])) return 'no byCategory, byRule or byAgent: not a summary written by huashu audit --summary';
  return undefined;
}

const sign = (x: number, digits = 2) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(digits);
const num = thousands;

/** A change as one phrase: `40 → 55 (4.02 → 4.58 per 100, +0.56, z 1.2)`. */
export function describeChange(c: Change): string {
  return `${num(c.old.count)} → ${num(c.new.count)} (${c.old.rate.toFixed(2)} → ${c.new.rate.toFixed(2)} per 100, ${sign(c.deltaRate)}${c.significant ? ', significant' : ''})`;
}

/** The rows of a change table: key, old, new, per 100 old, per 100 new, change, z. */
export function changeRows(changes: readonly Change[]): string[][] {
  return changes.map((c) => [c.key, num(c.old.count), num(c.new.count), c.old.rate.toFixed(2), c.new.rate.toFixed(2), sign(c.deltaRate), `${c.z.toFixed(2)}${c.significant ? ' *' : ''}`]);
}

export const CHANGE_HEAD = ['old', 'new', 'per 100 old', 'per 100 new', 'change', 'z'];

/** The comparison for a terminal. `table` aligns columns (report-table.ts). */
export function formatComparison(c: Comparison, table: (head: string[], rows: string[][]) => string, top = 15): string {
  const out: string[] = [];
  out.push(`huashu audit compare: ${c.old.name} (${num(c.old.audited)} replies) → ${c.new.name} (${num(c.new.audited)} replies)`);
  out.push(`  findings (warnings and errors): ${describeChange(c.findings)}`);
  out.push(`  replies flagged: ${describeChange(c.flaggedReplies)}`);
  out.push(`  info (apart): ${describeChange(c.info)}`);
  if (c.score) {
    const s = c.score;
    const f = (x?: number) => (x === undefined ? '-' : x.toFixed(2));
    out.push(`  mean conversation score: ${f(s.old)} → ${f(s.new)}${s.delta !== undefined ? ` (${sign(s.delta)})` : ''}; pass rate ${f(s.oldPassRate)}% → ${f(s.newPassRate)}%`);
  }
  const section = (title: string, rows: readonly Change[], more: string) => {
    const shown = rows.filter((r) => r.old.count || r.new.count).slice(0, top);
    if (shown.length === 0) return;
    out.push('', table([title, ...CHANGE_HEAD], changeRows(shown)));
    if (rows.length > shown.length && rows.length > top) out.push(`  … and ${rows.length - top} more ${more} (see --format json)`);
  };
  section('category', c.byCategory, 'categories');
  section('rule', c.byRule, 'rules');
  section('agent', c.byAgent, 'agents');
  section('team', c.byTeam, 'teams');
  const scored = c.byAgent.filter((a) => a.score?.delta !== undefined).sort((a, b) => a.score!.delta! - b.score!.delta! || (a.key < b.key ? -1 : 1));
  if (scored.length > 0) {
    out.push('', table(['agent', 'score old', 'score new', 'change'], scored.slice(0, top).map((a) => [a.key, a.score!.old!.toFixed(2), a.score!.new!.toFixed(2), sign(a.score!.delta!)])));
  }
  if (c.behind.length > 0) {
    out.push('', 'replies behind the biggest rule changes:');
    for (const b of c.behind) {
      out.push(`  ${b.rule} ${sign(b.deltaRate)} per 100 (examples from ${b.from === 'new' ? c.new.name : c.old.name})`);
      if (b.examples.length === 0) out.push('    (that summary keeps no examples of it)');
      for (const e of b.examples) {
        const where = [e.file, `row ${e.row}`, e.agent && `agent ${e.agent}`].filter(Boolean).join(' · ');
        out.push(`    ${where}: ${e.before}[${e.excerpt}]${e.after}`);
      }
    }
  }
  return out.join('\n') + '\n';
}
