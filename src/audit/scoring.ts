// Quality scores, as contact-centre QA (智能质检) keeps them: every conversation starts at a base score
// (100), each finding deducts points (by severity, or by rule/category), a fatal rule (致命项) sets the
// conversation to 0, and a pass mark splits passed from failed. Scores are kept per conversation and per
// agent, team/queue and input file: the agent's (team's, file's) score in a conversation counts only the
// findings in its own replies there, so a transferred conversation is scored for each agent apart.
//
// Everything is computed from what one result line carries (conversation, agent, team, file, and each
// finding's rule, category and severity), in input order, in bounded memory: re-aggregating result lines
// reproduces the scores exactly. A conversation is its id within one input file. Conversations are closed as the conversation tracker forgets them (two
// generations of CONVERSATIONS_OPEN): a conversation whose rows come back after that many others is
// scored again as a new one, as its customer context is lost.
import type { Severity } from '../rules/types.js';

export interface RulePoints {
  /** A rule id, a category, or a prefix ending in `/*`. */
  selector: string;
  points: number;
}

export interface ScoringModel {
  /** Every conversation starts with this score. */
  base: number;
  /** Points deducted per finding of each severity. */
  points: Record<Severity, number>;
  /** Points per finding of these rules, categories or prefixes instead (the most specific wins). */
  rules: RulePoints[];
  /** Rules, categories or prefixes whose finding sets the conversation's score to 0 (致命项). */
  fatal: string[];
  /** A conversation passes with at least this score and no fatal finding. */
  pass: number;
}

export const DEFAULT_SCORING: ScoringModel = {
  base: 100,
  points: { error: 10, warning: 5, info: 0 },
  rules: [],
  fatal: [],
  pass: 80,
};

/** What scoring needs of a finding (an engine finding, or a finding of a result line). */
export interface ScoredFinding {
  ruleId: string;
  category: string;
  severity: Severity;
}

export interface ScoreStats {
  /** Conversations scored (for an agent, team or file: conversations it took part in). */
  conversations: number;
  /** Mean score, two decimals. */
  score: number;
  passed: number;
  /** Share of conversations that passed, in percent, two decimals. */
  passRate: number;
  /** Conversations with a fatal finding. */
  fatal: number;
  /** The lowest score. */
  min: number;
}

export interface ScoredConversation {
  conversation: string;
  file: string;
  agents: string[];
  teams: string[];
  replies: number;
  /** Warnings and errors in it. */
  findings: number;
  deduction: number;
  score: number;
  fatal: boolean;
  pass: boolean;
  /** The rules of its fatal findings. */
  fatalRules?: string[];
}

export interface ScoresSummary {
  model: ScoringModel;
  /** Conversations scored; a reply without a conversation id is scored alone and counted here. */
  conversations: number;
  /** Replies without a conversation id (each scored as a conversation of its own). */
  repliesWithoutConversation: number;
  score: number;
  median: number;
  passed: number;
  passRate: number;
  fatal: number;
  min: number;
  /** Conversations per score band, [from, to) and the last one [from, base]; lowest band first. */
  distribution: { from: number; to: number; conversations: number }[];
  /** The lowest-scoring conversations, lowest first. */
  lowest: ScoredConversation[];
  byAgent: ({ agent: string } & ScoreStats)[];
  byTeam: ({ team: string } & ScoreStats)[];
  byFile: ({ file: string } & ScoreStats)[];
}

/** Conversations kept open at most (the conversation tracker's capacity: two generations of half). */
export const CONVERSATIONS_OPEN = 20_000;
const LOWEST = 20;
const BANDS = 10;
/** Values per dimension named one by one; the others are counted together. */
const MAX_VALUES = 10_000;
export const OTHER_VALUES: Record<Dim, string> = { agent: '(other agents)', team: '(other teams)', file: '(other files)' };

type Dim = 'agent' | 'team' | 'file';
const DIMS: readonly Dim[] = ['agent', 'team', 'file'];

interface Unit {
  dim: Dim;
  value: string;
  deduction: number;
  fatal: boolean;
}

interface Open {
  conversation: string;
  file: string;
  replies: number;
  findings: number;
  deduction: number;
  fatalRules?: string[];
  /** The agents' and teams' shares of it (a conversation is in one file). */
  units?: Unit[];
}

interface Stats {
  conversations: number;
  sum: number;
  passed: number;
  fatal: number;
  min: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const newStats = (): Stats => ({ conversations: 0, sum: 0, passed: 0, fatal: 0, min: Infinity });
const statsOut = (s: Stats): ScoreStats => ({
  conversations: s.conversations,
  score: s.conversations ? round2(s.sum / s.conversations) : 0,
  passed: s.passed,
  passRate: s.conversations ? round2((100 * s.passed) / s.conversations) : 0,
  fatal: s.fatal,
  min: s.conversations ? s.min : 0,
});

/** Does `selector` (rule id, category, or prefix/*) select this rule? */
export function selectsFinding(selector: string, f: { ruleId: string; category: string }): boolean {
  if (selector === f.ruleId || selector === f.category) return true;
  return selector.endsWith('/*') && f.ruleId.startsWith(selector.slice(0, -1));
}

/** Rule id > prefix/* > category: the more specific selector wins, and among equals the last written. */
const specificity = (selector: string) => (selector.endsWith('/*') ? 1 : selector.includes('/') ? 2 : 0);

/** Sort order of the lowest conversations: score, then fatal first, then by name (a total order). */
function compareLowest(a: ScoredConversation, b: ScoredConversation): number {
  return a.score - b.score || Number(b.fatal) - Number(a.fatal) || b.deduction - a.deduction || (a.conversation < b.conversation ? -1 : a.conversation > b.conversation ? 1 : 0) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.replies - b.replies;
}

export class Scorer {
  private recent = new Map<string, Open>();
  private older = new Map<string, Open>();
  private last: Open | undefined;
  private readonly cache = new Map<string, { points: number; fatal: boolean }>();
  private readonly overall = newStats();
  private readonly scores = new Map<number, number>();
  private readonly lowest: ScoredConversation[] = [];
  private readonly byDim: Record<Dim, Map<string, Stats>> = { agent: new Map(), team: new Map(), file: new Map() };
  private alone = 0;
  /** The input whose conversations are open. */
  private file: string | undefined;
  private readonly ordered: RulePoints[];

  constructor(
    readonly model: ScoringModel = DEFAULT_SCORING,
    private readonly capacity = CONVERSATIONS_OPEN,
    /** Told of every conversation as it is scored (audit --scores). */
    private readonly onScored?: (c: ScoredConversation) => void,
  ) {
    this.ordered = model.rules.map((r, i) => ({ r, i })).sort((a, b) => specificity(a.r.selector) - specificity(b.r.selector) || a.i - b.i).map(({ r }) => r);
  }

  /** Points and fatality of a finding of this rule and severity (cached per rule and severity). */
  private weigh(f: ScoredFinding): { points: number; fatal: boolean } {
    const key = `${f.ruleId}\u0000${f.severity}\u0000${f.category}`;
    let w = this.cache.get(key);
    if (!w) {
      let points = this.model.points[f.severity] ?? 0;
      for (const r of this.ordered) if (selectsFinding(r.selector, f)) points = r.points;
      w = { points, fatal: this.model.fatal.some((s) => selectsFinding(s, f)) };
      this.cache.set(key, w);
    }
    return w;
  }

  /** Close every open conversation (at the end of an input: a conversation is its id within its file). */
  private closeAll(): void {
    for (const c of this.older.values()) this.close(c);
    for (const c of this.recent.values()) this.close(c);
    this.older.clear();
    this.recent.clear();
    this.last = undefined;
  }

  /** One audited reply and its findings. Replies come file by file, in input order. */
  add(file: string, r: { conversation?: string; agent?: string; team?: string }, findings: readonly ScoredFinding[]): void {
    if (file !== this.file) {
      this.closeAll();
      this.file = file;
    }
    let c: Open;
    const id = r.conversation;
    const alone = id === undefined || id === '';
    if (alone) {
      this.alone++;
      c = { conversation: '', file, replies: 0, findings: 0, deduction: 0 };
    } else if (this.last?.conversation === id) {
      c = this.last;
    } else {
      let found = this.recent.get(id);
      if (!found) {
        found = this.older.get(id);
        if (found) this.older.delete(id);
        else found = { conversation: id, file, replies: 0, findings: 0, deduction: 0 };
        if (this.recent.size >= Math.max(1, this.capacity >> 1)) {
          for (const old of this.older.values()) this.close(old);
          this.older = this.recent;
          this.recent = new Map();
        }
        this.recent.set(id, found);
      }
      c = this.last = found;
    }
    c.replies++;
    let deduction = 0;
    let fatal = false;
    for (const f of findings) {
      if (f.severity !== 'info') c.findings++;
      const w = this.weigh(f);
      deduction += w.points;
      if (w.fatal) {
        fatal = true;
        (c.fatalRules ??= []).includes(f.ruleId) || c.fatalRules.push(f.ruleId);
      }
    }
    c.deduction += deduction;
    const agent = r.agent?.trim();
    if (agent) this.unit(c, 'agent', agent, deduction, fatal);
    const team = r.team?.trim();
    if (team) this.unit(c, 'team', team, deduction, fatal);
    if (alone) this.close(c);
  }

  private unit(c: Open, dim: Dim, value: string, deduction: number, fatal: boolean): void {
    let u = c.units?.find((x) => x.dim === dim && x.value === value);
    if (!u) (c.units ??= []).push((u = { dim, value, deduction: 0, fatal: false }));
    u.deduction += deduction;
    u.fatal ||= fatal;
  }

  private scoreOf(deduction: number, fatal: boolean): number {
    return fatal ? 0 : Math.max(0, round2(this.model.base - deduction));
  }

  private tally(s: Stats, score: number, fatal: boolean): void {
    s.conversations++;
    s.sum += score;
    if (!fatal && score >= this.model.pass) s.passed++;
    if (fatal) s.fatal++;
    if (score < s.min) s.min = score;
  }

  private tallyIn(dim: Dim, value: string, score: number, fatal: boolean): void {
    const map = this.byDim[dim];
    let key = value;
    if (!map.has(key) && map.size >= MAX_VALUES) key = OTHER_VALUES[dim];
    let s = map.get(key);
    if (!s) map.set(key, (s = newStats()));
    this.tally(s, score, fatal);
  }

  private close(c: Open): void {
    const fatal = c.fatalRules !== undefined;
    const score = this.scoreOf(c.deduction, fatal);
    this.tally(this.overall, score, fatal);
    this.scores.set(score, (this.scores.get(score) ?? 0) + 1);
    this.tallyIn('file', c.file, score, fatal);
    if (c.units) for (const u of c.units) this.tallyIn(u.dim, u.value, this.scoreOf(u.deduction, u.fatal), u.fatal);
    // Most conversations are not among the lowest: they are not built into a row.
    const worst = this.lowest[this.lowest.length - 1];
    if (!this.onScored && this.lowest.length >= LOWEST && worst !== undefined && (score > worst.score || (score === worst.score && !fatal && worst.fatal))) return;
    const scored: ScoredConversation = {
      conversation: c.conversation,
      file: c.file,
      agents: (c.units ?? []).filter((u) => u.dim === 'agent').map((u) => u.value),
      teams: (c.units ?? []).filter((u) => u.dim === 'team').map((u) => u.value),
      replies: c.replies,
      findings: c.findings,
      deduction: round2(c.deduction),
      score,
      fatal,
      pass: !fatal && score >= this.model.pass,
      ...(c.fatalRules ? { fatalRules: c.fatalRules } : {}),
    };
    this.onScored?.(scored);
    if (this.lowest.length < LOWEST || compareLowest(scored, this.lowest[this.lowest.length - 1]!) < 0) {
      const at = this.lowest.findIndex((x) => compareLowest(scored, x) < 0);
      this.lowest.splice(at < 0 ? this.lowest.length : at, 0, scored);
      if (this.lowest.length > LOWEST) this.lowest.pop();
    }
  }

  /** Close every open conversation and report. Call once, at the end. */
  finish(): ScoresSummary {
    this.closeAll();
    const { base } = this.model;
    const width = base / BANDS;
    const distribution = Array.from({ length: BANDS }, (_, i) => ({ from: round2(i * width), to: round2((i + 1) * width), conversations: 0 }));
    for (const [score, count] of this.scores) distribution[Math.min(BANDS - 1, Math.max(0, Math.floor(score / width)))]!.conversations += count;
    const sorted = [...this.scores].sort((a, b) => a[0] - b[0]);
    const median = (() => {
      const n = this.overall.conversations;
      if (n === 0) return 0;
      const at = (k: number) => {
        let seen = 0;
        for (const [score, count] of sorted) if ((seen += count) > k) return score;
        return sorted[sorted.length - 1]![0];
      };
      return n % 2 ? at((n - 1) / 2) : round2((at(n / 2 - 1) + at(n / 2)) / 2);
    })();
    const rows = <K extends string>(dim: Dim, name: K) =>
      [...this.byDim[dim]]
        .map(([value, s]) => ({ [name]: value, ...statsOut(s) }) as { [k in K]: string } & ScoreStats)
        .sort((a, b) => a.score - b.score || b.conversations - a.conversations || (a[name] < b[name] ? -1 : 1));
    const o = statsOut(this.overall);
    return {
      model: this.model,
      conversations: o.conversations,
      repliesWithoutConversation: this.alone,
      score: o.score,
      median,
      passed: o.passed,
      passRate: o.passRate,
      fatal: o.fatal,
      min: o.min,
      distribution,
      lowest: this.lowest,
      byAgent: rows('agent', 'agent'),
      byTeam: rows('team', 'team'),
      byFile: rows('file', 'file'),
    };
  }
}

/**
 * A scoring model from a config's `audit.scoring` (already parsed into plain values). `fail(path, message)`
 * throws an error pointing at the value. Unset fields keep DEFAULT_SCORING's.
 */
export function scoringFrom(value: unknown, fail: (path: (string | number)[], message: string) => never): ScoringModel {
  const KEYS = ['base', 'points', 'rules', 'fatal', 'pass'];
  if (value === null || value === undefined) return DEFAULT_SCORING;
  if (typeof value !== 'object' || Array.isArray(value)) fail([], `'audit.scoring' must be a mapping (${KEYS.join(', ')})`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!KEYS.includes(k)) fail([k], `unknown key '${k}' in audit.scoring (allowed: ${KEYS.join(', ')})`);
  const num = (x: unknown, path: (string | number)[], what: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) fail(path, `audit.scoring.${path.join('.')}: ${what} must be a number of 0 or more`);
    return x as number;
  };
  const model: ScoringModel = { ...DEFAULT_SCORING, points: { ...DEFAULT_SCORING.points }, rules: [], fatal: [] };
  if (v['base'] !== undefined) model.base = num(v['base'], ['base'], 'the base score');
  if (model.base <= 0) fail(['base'], 'audit.scoring.base: the base score must be more than 0');
  if (v['pass'] !== undefined) model.pass = num(v['pass'], ['pass'], 'the pass mark');
  if (model.pass > model.base) fail(['pass'], `audit.scoring.pass: the pass mark (${model.pass}) is above the base score (${model.base})`);
  const points = v['points'];
  if (points !== undefined && points !== null) {
    if (typeof points !== 'object' || Array.isArray(points)) fail(['points'], "audit.scoring.points must be a mapping of severity (error, warning, info) to points");
    for (const [k, x] of Object.entries(points as Record<string, unknown>)) {
      if (!['error', 'warning', 'info'].includes(k)) fail(['points', k], `audit.scoring.points: '${k}' is not a severity (error, warning, info)`);
      model.points[k as Severity] = num(x, ['points', k], 'points');
    }
  }
  const rules = v['rules'];
  if (rules !== undefined && rules !== null) {
    if (typeof rules !== 'object' || Array.isArray(rules)) fail(['rules'], 'audit.scoring.rules must be a mapping of rule id (or category, prefix/*) to points');
    for (const [k, x] of Object.entries(rules as Record<string, unknown>)) model.rules.push({ selector: k, points: num(x, ['rules', k], 'points') });
  }
  const fatal = v['fatal'];
  if (fatal !== undefined && fatal !== null) {
    const list = typeof fatal === 'string' ? [fatal] : fatal;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.trim() !== '')) fail(['fatal'], 'audit.scoring.fatal must be a list of rule ids (or categories, prefix/*)');
    model.fatal = (list as string[]).map((s) => s.trim());
  }
  return model;
}

/** The selectors of a model that select none of these rules (to report as a config error). */
export function unknownSelectors(model: ScoringModel, rules: readonly { id: string; category: string }[]): string[] {
  const selectors = [...model.rules.map((r) => r.selector), ...model.fatal];
  return selectors.filter((s) => !rules.some((r) => selectsFinding(s, { ruleId: r.id, category: r.category })));
}
