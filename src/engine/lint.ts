// The kernel: text in, findings out. No I/O (the segmenter's one-time dictionary load aside).
// normalize → candidates (phrases and pattern anchors in one pass, patterns) → token boundaries → exceptions → original spans.
import { detectScript, normalize, toOriginalSpan, type Normalized, type Script } from '../normalize/index.js';
import { renderOurText } from '../normalize/render.js';
import { addWords, tagWords, tokenBoundaries, type TaggedToken } from '../segment/index.js';
import { surelyBoundary, surelyOnBoundaries } from '../segment/crossing.js';
import { scorable, score, strongestSpan } from '../classifier/index.js';
import type { AnchorUse, CompiledRule, ContextMatcher, RuleSet } from '../rules/compile.js';
import { SEVERITY_RANK, type Severity } from '../rules/types.js';
import { BreakIndex, isClauseBreak, isLineBreak, isSentenceBreak, spanAround, type Span } from './context.js';
import { analyzeTurn, asksAboutFact, clauseAt, isBareNo, offersContrast, offersHelp, offersIn, offersWayForward, turnAround, type Clause, type SpeechAct, type Turn } from './clauses.js';
import { applyDirectives } from './directives.js';
import type { Finding } from './findings.js';
import { matchSequence } from './sequence.js';
import { globalMatches, patternMatches, STICKY_ATTEMPT_CHARS, type Match } from './patterns.js';
import { LineIndex, placeSpan } from './position.js';
import { buildSuggestions, Relinter } from '../suggest/index.js';
import { precheckedFor } from '../suggest/prechecked.js';

/** Read, never changed, by lintText: which rules are on is cached per options object, so pass a new one to change it. */
export interface LintOptions {
  /** Keep only rules whose id, category or pack is listed. */
  only?: readonly string[];
  /** Drop rules whose id, category or pack is listed. */
  disable?: readonly string[];
  minSeverity?: Severity;
  /** Script to render suggestions in where a line has no telling characters (default: detected). */
  script?: Script;
  /** Honour inline `huashu-disable…` comments in the text (default true). */
  directives?: boolean;
  /** Also report directives that suppressed nothing. */
  reportUnusedDirectives?: boolean;
  /**
   * The agent's own message(s) just before this one, with no customer turn between (a reply split over
   * consecutive messages): an alternative or an offer of help there counts for this reply's rules
   * (`unless: { alternative, help }`). Audits and dialogue exports pass it; a draft has none.
   */
  precedingTurn?: string;
  /** Build suggestions for findings (default true; src/suggest). Off for the linting of candidates themselves. */
  suggestions?: boolean;
  /** At most this many suggestions per finding (default 3): each one offered costs a lint of its sentence. */
  suggestionLimit?: number;
  /**
   * The customer's message this reply answers. A bare no (不支持的, 不能的呢) to a question about what the
   * product is or does (能放常溫嗎？) is a fact, not a refusal; to a request (能改地址嗎？) it stays one.
   */
  customerTurn?: string;
}

interface Candidate {
  rule: number;
  start: number;
  end: number;
}

function selects(rule: CompiledRule, names: readonly string[]): boolean {
  const { id, category, pack } = rule.spec;
  return names.some((n) => n === id || n === category || n === pack || (n.endsWith('/*') && id.startsWith(n.slice(0, -1))));
}

function activeRules(set: RuleSet, options: LintOptions): boolean[] {
  const min = SEVERITY_RANK[options.minSeverity ?? 'info'];
  return set.rules.map(
    (r) =>
      SEVERITY_RANK[r.spec.severity] >= min &&
      (!options.only?.length || selects(r, options.only)) &&
      !(options.disable?.length && selects(r, options.disable)),
  );
}

// An audit lints millions of replies with the same rules and options: which rules are on is worked out
// once per rule set and options object (and once per selection for callers that make a new object each time).
// An audit makes a new options object for every reply (its customer's and preceding messages) with the
// same selection lists: the last selection is checked first, by identity, before any key is built.
interface ActiveCache {
  byOptions: WeakMap<LintOptions, boolean[]>;
  bySelection: Map<string, boolean[]>;
  last?: { minSeverity: LintOptions['minSeverity']; only: LintOptions['only']; disable: LintOptions['disable']; active: boolean[] };
}
const activeCache = new WeakMap<RuleSet, ActiveCache>();

const SELECTIONS_KEPT = 64;

/** The rule set linted last and its cache: an audit lints every reply with one set (no WeakMap look-up). */
let lastSet: RuleSet | undefined;
let lastCache: ActiveCache | undefined;

function activeRulesCached(set: RuleSet, options: LintOptions): boolean[] {
  let cache = set === lastSet ? lastCache : activeCache.get(set);
  if (!cache) activeCache.set(set, (cache = { byOptions: new WeakMap(), bySelection: new Map() }));
  lastSet = set;
  lastCache = cache;
  const last = cache.last;
  if (last && last.minSeverity === options.minSeverity && last.only === options.only && last.disable === options.disable) return last.active;
  let active = cache.byOptions.get(options);
  if (!active) {
    const key = `${options.minSeverity ?? ''}\u0000${options.only?.join('\u0001') ?? ''}\u0000${options.disable?.join('\u0001') ?? ''}`;
    active = cache.bySelection.get(key);
    if (active) cache.bySelection.delete(key); // moved to the end: most recently used
    else active = activeRules(set, options);
    cache.bySelection.set(key, active);
    // A long-running server sees a new selection per client's only/disable list: the least recently used
    // ones go, so the cache cannot grow without bound.
    if (cache.bySelection.size > SELECTIONS_KEPT) cache.bySelection.delete(cache.bySelection.keys().next().value!);
    cache.byOptions.set(options, active);
  }
  cache.last = { minSeverity: options.minSeverity, only: options.only, disable: options.disable, active };
  return active;
}

/** The active classifier rules, once per active-rule list. */
const activeClassifiers = new WeakMap<boolean[], number[]>();

function found(context: string, matchers: readonly ContextMatcher[]): boolean {
  for (const m of matchers) {
    if (typeof m === 'string' ? context.includes(m) : m.test(context)) return true;
  }
  return false;
}

/** What the agent's preceding message offers: analysed once per text it is given for. */
interface PrecedingOffers {
  alternative: boolean;
  help: boolean;
  /** The preceding message's clauses, for a contrast with a refusal in this one (修改完成後才可以改 → 現在改不了). */
  turn: Turn;
}
const precedingOffers = new Map<string, PrecedingOffers>();

function offersOf(preceding: string): PrecedingOffers {
  let found = precedingOffers.get(preceding);
  if (!found) {
    const n = normalize(preceding).text;
    const turn = analyzeTurn(n, { start: 0, end: n.length });
    found = { alternative: offersWayForward(turn), help: offersHelp(turn), turn };
    if (precedingOffers.size > 1000) precedingOffers.clear();
    precedingOffers.set(preceding, found);
  }
  return found;
}

class Document {
  // Made on first use: most replies have no candidate that needs them.
  private tokenCache: Map<number, Int32Array> | undefined;
  private breakIndexes: Map<(t: string, i: number) => boolean, BreakIndex> | undefined;
  private turns: Map<number, Turn> | undefined;
  constructor(
    readonly n: Normalized,
    /** The agent's message just before (LintOptions.precedingTurn). */
    private readonly preceding?: string,
    /** The customer's message this reply answers (LintOptions.customerTurn). */
    private readonly customer?: string,
  ) {}

  /** Whether the customer's message asks a question of fact (read once, when a refusal needs it). */
  private askedFact: boolean | undefined;

  /** The clause's acts, read with the customer's question: a bare no to a question of fact informs. */
  private actsOf(clause: Clause): ReadonlySet<SpeechAct> {
    if (this.customer === undefined || !clause.acts.has('refusal')) return clause.acts;
    if (!(this.askedFact ??= asksAboutFact(this.customer)) || !isBareNo(clause.text)) return clause.acts;
    const acts = new Set(clause.acts);
    acts.delete('refusal');
    acts.add('information');
    return acts;
  }

  /** The clause analysis of the turn (line) around `at`, made once per turn that a rule asks about. */
  turnAt(at: number): Turn {
    const span = turnAround(this.n.text, at);
    this.turns ??= new Map();
    let turn = this.turns.get(span.start);
    if (!turn) this.turns.set(span.start, (turn = analyzeTurn(this.n.text, span)));
    return turn;
  }

  /** Do the rule's clause conditions (`when`, and `unless`'s act/subject/alternative/hedged) let this match stand? */
  clauseAllows(rule: CompiledRule, start: number, end: number): boolean {
    const { when, unless } = rule.spec;
    const turn = this.turnAt(start);
    const clause = clauseAt(turn, start);
    if (!clause) return !when;
    let alternative: boolean | undefined;
    // The agent's message before: analysed only when a rule asks about a way forward or help (most do not).
    const before = () => (this.preceding ? offersOf(this.preceding) : undefined);
    // A classifier judges the whole reply: a way forward in any clause counts, its own span's included
    // (很抱歉暫時處理不了，我幫您看看還有什麼其他辦法 offers one wherever the model's strongest words are).
    const except = rule.classifier ? undefined : clause;
    const offersBefore = (b = before()) => b !== undefined && (b.alternative || offersContrast(b.turn, clause));
    const offers = () => (alternative ??= offersWayForward(turn, except) || offersIn(this.n.text.slice(end, clause.end)) || offersContrast(turn, clause) || offersBefore());
    const helps = () => offersHelp(turn, clause) || Boolean(before()?.help);
    // A classifier judges the whole reply: its `when` holds if some clause of the turn meets it.
    const judged = rule.classifier ? turn.clauses : [clause];
    if (when) {
      if (when.act && !judged.some((c) => when.act!.some((a) => this.actsOf(c).has(a)))) return false;
      if (when.subject && !judged.some((c) => when.subject!.includes(c.subject))) return false;
      if (when.hedged !== undefined && clause.hedged !== when.hedged) return false;
      if (when.alternative !== undefined && offers() !== when.alternative) return false;
      if (when.help !== undefined && helps() !== when.help) return false;
    }
    if (unless) {
      // A classifier's `when` may be met by any clause of the turn: its `unless` acts excuse the finding when
      // they excuse every clause that met it (您的訂單完成就會給您申請: the one promise is our own next step).
      const met = rule.classifier && when?.act ? judged.filter((c) => when.act!.some((a) => this.actsOf(c).has(a))) : [clause];
      if (unless.act && met.length > 0 && met.every((c) => unless.act!.some((a) => this.actsOf(c).has(a)))) return false;
      if (unless.subject?.includes(clause.subject)) return false;
      if (unless.hedged && clause.hedged) return false;
      if (unless.alternative && offers()) return false;
      if (unless.help && helps()) return false;
    }
    return true;
  }

  /** The sentences of the text, in order. */
  sentences(): Span[] {
    const out: Span[] = [];
    const t = this.n.text;
    let start = 0;
    for (let i = 0; i <= t.length; i++) {
      if (i === t.length || isSentenceBreak(t, i)) {
        if (i > start) out.push({ start, end: i });
        start = i + 1;
      }
    }
    return out;
  }

  /** A sentence's words with part-of-speech tags (whitespace dropped), offsets in the whole text. */
  taggedWords(sentence: Span): TaggedToken[] {
    return tagWords(this.n.text.slice(sentence.start, sentence.end))
      .filter((w) => w.word.trim() !== '')
      .map((w) => ({ ...w, start: w.start + sentence.start, end: w.end + sentence.start }));
  }

  /** The sentence, clause or line around [start, end): break positions are found once per draft. */
  spanAround(start: number, end: number, isBreak: (t: string, i: number) => boolean): Span {
    this.breakIndexes ??= new Map();
    let index = this.breakIndexes.get(isBreak);
    if (!index) {
      index = new BreakIndex(this.n.text, isBreak);
      this.breakIndexes.set(isBreak, index);
    }
    return index.spanAround(start, end);
  }

  sentence(start: number, end: number): Span {
    return this.spanAround(start, end, isSentenceBreak);
  }

  /** Does [start, end) start and end on jieba token boundaries of its sentence? */
  onTokenBoundaries(start: number, end: number, sentence: Span): boolean {
    // Most candidates are decided without segmenting (and without loading jieba): see segment/crossing.ts.
    if (surelyOnBoundaries(this.n.text, start, end, this.n.text.slice(start, end))) return true;
    if (surelyBoundary(this.n.text, start) && surelyBoundary(this.n.text, end)) return true;
    this.tokenCache ??= new Map();
    let bounds = this.tokenCache.get(sentence.start);
    if (!bounds) {
      bounds = tokenBoundaries(this.n.text.slice(sentence.start, sentence.end));
      this.tokenCache.set(sentence.start, bounds);
    }
    return includes(bounds, start - sentence.start) && includes(bounds, end - sentence.start);
  }

  /** Text of `span` around [start, end), with the match itself cut out so it cannot excuse itself. */
  around(span: Span, start: number, end: number): string {
    const t = this.n.text;
    return t.slice(span.start, start) + '\u0000' + t.slice(end, span.end);
  }

  excepted(rule: CompiledRule, start: number, end: number, sentence: Span): boolean {
    const u = rule.unless;
    if (!u) return false;
    const t = this.n.text;
    if (u.before.length && found(t.slice(u.window ? Math.max(sentence.start, start - u.window) : sentence.start, start), u.before)) return true;
    if (u.after.length && found(t.slice(end, u.window ? Math.min(sentence.end, end + u.window) : sentence.end), u.after)) return true;
    if (u.clause.length && found(this.around(this.spanAround(start, end, isClauseBreak), start, end), u.clause)) return true;
    if (u.sentence.length && found(this.around(sentence, start, end), u.sentence)) return true;
    if (u.line.length && found(this.around(this.spanAround(start, end, isLineBreak), start, end), u.line)) return true;
    return false;
  }

  /** absence rules: is what must be there missing from the scope around the match? */
  lacking(rule: CompiledRule, start: number, end: number, sentence: Span): boolean {
    const l = rule.lacks;
    if (!l) return true;
    const t = this.n.text;
    const scope =
      l.scope === 'reply' ? { start: 0, end: t.length }
      : l.scope === 'line' ? spanAround(t, start, end, isLineBreak)
      : l.scope === 'clause' ? spanAround(t, start, end, isClauseBreak)
      : sentence;
    return !found(t.slice(scope.start, scope.end), l.matchers);
  }
}

function includes(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

// candidates()' scratch state, reused from one text to the next (lint is synchronous): per pattern id
// (AnchorUse.id), the call that last touched it and its ranges; the anchor uses that touched a pattern
// first, in order. A call's stamp is new, so nothing needs clearing between texts.
let patternStamps = new Int32Array(0);
let patternRanges: (number[] | null)[] = [];
/** Per keyword id: the call that last saw it in its text (for the patterns' required words). */
let keywordStamps = new Int32Array(0);
let stampNow = 0;
const touched: AnchorUse[] = [];
/** One pattern's matches in one text, then copied into the candidates (reused: most runs find none). */
const matched: Match[] = [];

function candidates(set: RuleSet, text: string, active: boolean[]): Candidate[] {
  const out: Candidate[] = [];
  if (patternStamps.length < set.patternCount) {
    patternStamps = new Int32Array(set.patternCount);
    patternRanges = new Array<number[] | null>(set.patternCount).fill(null);
  }
  if (keywordStamps.length < set.keywords.size) keywordStamps = new Int32Array(set.keywords.size);
  if (++stampNow === 0x7fffffff) {
    patternStamps.fill(0);
    keywordStamps.fill(0);
    stampNow = 1;
  }
  const stamp = stampNow;
  touched.length = 0;
  // Where each pattern whose anchors occur may match: [from, to] start positions around the anchors'
  // occurrences (null: past `enough` of them the global scan is cheaper, engine/patterns.ts). Only the
  // few patterns a reply holds anchors of are touched.
  const enough = Math.max(2, text.length / 50);
  // A text this short is scanned whole by any pattern whose anchor it holds (engine/patterns.ts): no ranges.
  const whole = text.length < STICKY_ATTEMPT_CHARS;
  set.keywords.forEach(text, (keyword, start, id) => {
    const entry = set.keywordEntries[id]!;
    for (const rule of entry.phraseRules) {
      if (active[rule]) out.push({ rule, start, end: start + keyword.length });
    }
    for (const use of entry.uses) {
      if (!active[use.rule]) continue;
      if (patternStamps[use.id] !== stamp) {
        patternStamps[use.id] = stamp;
        patternRanges[use.id] = whole ? null : [start - use.max, start - use.min];
        touched.push(use);
        continue;
      }
      const list = patternRanges[use.id]!;
      if (list === null) continue;
      if (list.length >= enough) patternRanges[use.id] = null;
      else list.push(start - use.max, start - use.min);
    }
  }, keywordStamps, stamp);
  for (const use of touched) {
    // A word every match needs is missing from the text: nothing to run.
    const requires = set.requires[use.id];
    if (requires && !requires.every((words) => words.some((k) => keywordStamps[k] === stamp))) continue;
    const matcher = set.rules[use.rule]!.matchers[use.pattern]!;
    const ranges = patternRanges[use.id]!;
    matched.length = 0;
    if (ranges === null) globalMatches(matcher.global, text, matched);
    else patternMatches(matcher, text, ranges, false, matched);
    for (const m of matched) out.push({ rule: use.rule, start: m.start, end: m.end });
  }
  for (const { rule, pattern } of set.unanchored) {
    if (!active[rule]) continue;
    matched.length = 0;
    globalMatches(set.rules[rule]!.matchers[pattern]!.global, text, matched);
    for (const m of matched) out.push({ rule, start: m.start, end: m.end });
  }
  return out;
}

/** Sequence rules: tag only the sentences that hold every required word of some active sequence. */
function sequenceCandidates(set: RuleSet, doc: Document, active: boolean[]): Candidate[] {
  const rules = set.sequenceRules.filter((i) => active[i]);
  if (rules.length === 0) return [];
  const out: Candidate[] = [];
  for (const sentence of doc.sentences()) {
    const text = doc.n.text.slice(sentence.start, sentence.end);
    let tokens: TaggedToken[] | undefined;
    for (const rule of rules) {
      for (const pattern of set.rules[rule]!.sequences) {
        if (!pattern.anchors.every((words) => words.some((w) => text.includes(w)))) continue;
        tokens ??= doc.taggedWords(sentence);
        for (const m of matchSequence(pattern, tokens)) {
          out.push({ rule, start: tokens[m.markFrom]!.start, end: tokens[m.markTo - 1]!.end });
        }
      }
    }
  }
  return out;
}

/** Overlapping findings of one category say the same thing once: keep the most severe, then the longest. */
function dedupe(set: RuleSet, kept: Candidate[]): Candidate[] {
  if (kept.length <= 1) return kept; // most replies of an audit: nothing to compare
  const rank = (c: Candidate) => SEVERITY_RANK[set.rules[c.rule]!.spec.severity];
  const byPreference = (a: Candidate, b: Candidate) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start || a.rule - b.rule;
  const chosen: Candidate[] = [];
  // Candidates only compete with those of their category that they overlap, directly or through others:
  // the greedy choice is made within each such cluster, so a draft with a million findings is not
  // compared pairwise (which made long drafts quadratic).
  const byCategory = new Map<string, Candidate[]>();
  for (const c of kept) {
    const category = set.rules[c.rule]!.spec.category;
    const list = byCategory.get(category);
    if (list) list.push(c);
    else byCategory.set(category, [c]);
  }
  for (const list of byCategory.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; ) {
      let clusterEnd = list[i]!.end;
      let j = i + 1;
      while (j < list.length && list[j]!.start < clusterEnd) clusterEnd = Math.max(clusterEnd, list[j++]!.end);
      const picked: Candidate[] = [];
      for (const c of list.slice(i, j).sort(byPreference)) {
        if (!picked.some((o) => o.start < c.end && c.start < o.end)) picked.push(c);
      }
      chosen.push(...picked);
      i = j;
    }
  }
  return chosen.sort((a, b) => a.start - b.start || a.end - b.end || a.rule - b.rule);
}

/** How suggestion candidates are linted again: every rule, no directives, no suggestions of their own. */
const RELINT: LintOptions = { directives: false, suggestions: false };

/** What a suggestion candidate would be flagged for with `set` (what the suggestions' check runs). */
export function relintFindings(text: string, set: RuleSet): Finding[] {
  return findingsOf(text, set, RELINT);
}

const relinters = new WeakMap<RuleSet, Relinter>();

function relinterFor(set: RuleSet): Relinter {
  let r = relinters.get(set);
  if (!r) relinters.set(set, (r = new Relinter((t) => relintFindings(t, set), precheckedFor(set))));
  return r;
}

export function lintText(text: string, set: RuleSet, options: LintOptions = {}): Finding[] {
  const findings = findingsOf(text, set, options);
  return options.directives === false ? findings : applyDirectives(text, findings, set, options);
}

function findingsOf(text: string, set: RuleSet, options: LintOptions): Finding[] {
  if (text.length === 0) return [];
  const n = normalize(text);
  const active = activeRulesCached(set, options);
  const doc = new Document(n, options.precedingTurn, options.customerTurn);
  if (set.sequenceRules.length) addWords(set.words, set.unseenWords);
  const raw = candidates(set, n.text, active);
  for (const c of sequenceCandidates(set, doc, active)) raw.push(c); // no spread: a long text has many
  if (raw.length === 0 && !set.classifierRules.some((i) => active[i])) return [];

  if (raw.length) addWords(set.words, set.unseenWords);
  const kept: Candidate[] = [];
  for (const c of raw) {
    const rule = set.rules[c.rule]!;
    const sentence = doc.sentence(c.start, c.end);
    // A line is one reply when drafts are listed one per line: no finding runs from one into the next.
    if (crossesLine(doc.n.text, c.start, c.end)) continue;
    if (doc.excepted(rule, c.start, c.end, sentence)) continue;
    if (!doc.lacking(rule, c.start, c.end, sentence)) continue;
    if (rule.usesClauses && !doc.clauseAllows(rule, c.start, c.end)) continue;
    kept.push(c);
  }
  const onWords = withinWords(set, doc, kept);
  onWords.push(...classifierCandidates(set, doc, active, onWords));
  return toFindings(set, n, dedupe(set, onWords), options, doc);
}

/**
 * The candidates that start and end on jieba words (rules with `boundary: token`). Token boundaries are
 * checked last and only for the candidates that would be reported: a candidate that a longer or more
 * severe one of its category covers is never segmented, and jieba (~0.1 s and 40 MB to load) stays unloaded
 * for most one-draft runs. A winner that fails the check drops out and the rest compete again.
 */
function withinWords(set: RuleSet, doc: Document, kept: Candidate[]): Candidate[] {
  if (kept.length === 0) return kept; // most replies: nothing to check
  let pool = kept;
  const verified = new Set<Candidate>();
  for (;;) {
    const failed = new Set<Candidate>();
    for (const c of dedupe(set, pool)) {
      if (verified.has(c)) continue;
      if (set.rules[c.rule]!.spec.boundary === 'token' && !doc.onTokenBoundaries(c.start, c.end, doc.sentence(c.start, c.end))) failed.add(c);
      else verified.add(c);
    }
    if (failed.size === 0) return pool;
    pool = pool.filter((c) => !failed.has(c));
  }
}

const LINE_BREAK = /[\r\n]/g;

/** Does [start, end) hold words of two lines (words, a line break, words)? A span of a break alone does not. */
function crossesLine(text: string, start: number, end: number): boolean {
  let words = false;
  let broken = false;
  for (let i = start; i < end; i++) {
    if (isLineBreak(text, i)) broken = words;
    else if (broken) return true;
    else words = true;
  }
  return false;
}

/**
 * Classifier rules speak only for a line (one reply) where no rule of their category has spoken: the
 * reply is scored as a whole, and the finding points at its highest-scoring sentence.
 */
function classifierCandidates(set: RuleSet, doc: Document, active: boolean[], kept: readonly Candidate[]): Candidate[] {
  const text = doc.n.text;
  let rules = activeClassifiers.get(active);
  if (!rules) activeClassifiers.set(active, (rules = set.classifierRules.filter((i) => active[i])));
  if (!rules.length) return [];
  const out: Candidate[] = [];
  // The kept candidates that overlap the current line, found by one sweep as the lines go by (a document
  // of 60,000 replies must not compare every line with every finding).
  const byStart = kept.length > 1 ? [...kept].sort((a, b) => a.start - b.start) : kept;
  let next = 0;
  let open: Candidate[] = [];
  for (let at = 0; at < text.length; ) {
    // The whole line, however long (not a bounded window): a reply is scored whole or, past
    // MAX_SCORED_CHARS, not at all — never a block cut from the middle of it.
    LINE_BREAK.lastIndex = at;
    const end = LINE_BREAK.exec(text)?.index ?? text.length;
    const line = { start: at, end };
    at = end + 1;
    while (next < byStart.length && byStart[next]!.start < line.end) open.push(byStart[next++]!);
    if (open.length) open = open.filter((c) => c.end > line.start);
    const lineText = text.slice(line.start, line.end);
    if (!scorable(lineText)) continue;
    for (const index of rules) {
      const { spec, classifier } = set.rules[index]!;
      const covered = open.some((c) => set.rules[c.rule]!.spec.category === spec.category);
      if (covered || score(classifier!.model, lineText) < classifier!.threshold) continue;
      // The reply is judged as a whole; the finding points at the run of words that weigh most in the
      // score, within the highest-scoring sentence.
      let best: Span | undefined;
      let bestScore = -1;
      for (let s = line.start; s < line.end; ) {
        const sentence = spanAround(text, s, s, isSentenceBreak);
        const end = Math.min(sentence.end, line.end);
        const p = score(classifier!.model, text.slice(Math.max(sentence.start, line.start), end));
        if (p > bestScore) {
          bestScore = p;
          best = { start: Math.max(sentence.start, line.start), end };
        }
        s = Math.max(end + 1, s + 1);
      }
      if (best) {
        const run = strongestSpan(classifier!.model, text.slice(best.start, best.end));
        if (run) best = { start: best.start + run.start, end: best.start + run.end };
      }
      const span = trimSpan(text, best ?? line);
      // The rule's own exceptions still apply, anywhere in the reply: a hedge or a negation (不一定, 預計) wins.
      const u = set.rules[index]!.unless;
      const excused = u && [u.before, u.after, u.clause, u.sentence, u.line].some((m) => m.length && found(lineText, m));
      if (span.end <= span.start || excused) continue;
      if (set.rules[index]!.usesClauses && !doc.clauseAllows(set.rules[index]!, span.start, span.end)) continue;
      out.push({ rule: index, start: span.start, end: span.end });
    }
  }
  return out;
}

/** Without surrounding spaces and closing punctuation: the words themselves. */
function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /[\s\p{P}]/u.test(text[end - 1]!)) end--;
  return { start, end };
}

function toFindings(set: RuleSet, n: Normalized, kept: Candidate[], options: LintOptions, doc: Document): Finding[] {
  // Most replies of an audit have no finding: no line index, no script detection for them.
  if (kept.length === 0) return [];
  const lines = new LineIndex(n.original);
  const documentScript = options.script ?? detectScript(n.original).script;
  const lineScripts = new Map<number, Script>();
  const scriptOfLine = (line: number): Script => {
    let s = lineScripts.get(line);
    if (!s) {
      s = options.script ?? detectScript(lines.lineText(line), documentScript).script;
      lineScripts.set(line, s);
    }
    return s;
  };
  return kept.map((c) => {
    const spec = set.rules[c.rule]!.spec;
    const { offset, length } = toOriginalSpan(n, c.start, c.end);
    const place = placeSpan(n.original, lines, offset, length);
    const script = scriptOfLine(place.line - 1);
    return {
      ruleId: spec.id,
      category: spec.category,
      severity: spec.severity,
      message: renderOurText(spec.message, script),
      ...place,
      suggestions:
        options.suggestions === false
          ? []
          : buildSuggestions({ spec, n, start: c.start, end: c.end, offset, length, script, relint: relinterFor(set), limit: options.suggestionLimit, turnAt: (at) => doc.turnAt(at) }),
      script,
    };
  });
}
