// The kernel: text in, findings out. No I/O (the segmenter's one-time dictionary load aside).
// normalize → candidates (phrases and pattern anchors in one pass, patterns) → token boundaries → exceptions → original spans.
import { detectScript, normalize, toOriginalSpan, type Normalized, type Script } from '../normalize/index.js';
import { renderInScript } from '../normalize/render.js';
import { addWords, tagWords, tokenBoundaries, type TaggedToken } from '../segment/index.js';
import { surelyOnBoundaries } from '../segment/crossing.js';
import type { CompiledRule, ContextMatcher, RuleSet } from '../rules/compile.js';
import { SEVERITY_RANK, type Severity } from '../rules/types.js';
import { isClauseBreak, isLineBreak, isSentenceBreak, spanAround, type Span } from './context.js';
import { applyDirectives } from './directives.js';
import type { Finding } from './findings.js';
import { matchSequence } from './sequence.js';
import { patternMatches } from './patterns.js';
import { LineIndex } from './position.js';

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

function found(context: string, matchers: readonly ContextMatcher[]): boolean {
  for (const m of matchers) {
    if (typeof m === 'string' ? context.includes(m) : m.test(context)) return true;
  }
  return false;
}

class Document {
  private readonly tokenCache = new Map<number, Int32Array>();
  constructor(readonly n: Normalized) {}

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

  sentence(start: number, end: number): Span {
    return spanAround(this.n.text, start, end, isSentenceBreak);
  }

  /** Does [start, end) start and end on jieba token boundaries of its sentence? */
  onTokenBoundaries(start: number, end: number, sentence: Span): boolean {
    // Most candidates are decided without segmenting (and without loading jieba): see segment/crossing.ts.
    if (surelyOnBoundaries(this.n.text, start, end, this.n.text.slice(start, end))) return true;
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
    if (u.clause.length && found(this.around(spanAround(t, start, end, isClauseBreak), start, end), u.clause)) return true;
    if (u.sentence.length && found(this.around(sentence, start, end), u.sentence)) return true;
    if (u.line.length && found(this.around(spanAround(t, start, end, isLineBreak), start, end), u.line)) return true;
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

function candidates(set: RuleSet, text: string, active: boolean[]): Candidate[] {
  const out: Candidate[] = [];
  // Where each pattern may match: [from, to] start positions around its anchors' occurrences. Past
  // `enough` of them the global scan is cheaper (engine/patterns.ts), so stop collecting.
  const ranges = set.rules.map((r) => r.matchers.map((): number[] | undefined => []));
  const enough = Math.max(2, text.length / 50);
  set.keywords.forEach(text, (keyword, start) => {
    for (const rule of set.phraseRules.get(keyword) ?? []) {
      if (active[rule]) out.push({ rule, start, end: start + keyword.length });
    }
    for (const use of set.anchorUses.get(keyword) ?? []) {
      if (!active[use.rule]) continue;
      const list = ranges[use.rule]![use.pattern];
      if (list === undefined) continue;
      if (list.length >= enough) ranges[use.rule]![use.pattern] = undefined;
      else list.push(start - use.max, start - use.min);
    }
  });
  set.rules.forEach((r, rule) => {
    if (!active[rule]) return;
    r.matchers.forEach((matcher, i) => {
      const found = ranges[rule]![i];
      const matches = found === undefined ? patternMatches({ global: matcher.global, anchors: null }, text, undefined) : patternMatches(matcher, text, found);
      for (const m of matches) out.push({ rule, start: m.start, end: m.end });
    });
  });
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
  const rank = (c: Candidate) => SEVERITY_RANK[set.rules[c.rule]!.spec.severity];
  const ordered = [...kept].sort((a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start || a.rule - b.rule);
  const chosen: Candidate[] = [];
  // Per category, the chosen spans sorted by start. They never overlap each other, so their ends are sorted
  // too, and a new span overlaps one of them exactly when it overlaps the last one starting before its end.
  const byCategory = new Map<string, Candidate[]>();
  for (const c of ordered) {
    const category = set.rules[c.rule]!.spec.category;
    let spans = byCategory.get(category);
    if (!spans) byCategory.set(category, (spans = []));
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start < c.end) lo = mid + 1;
      else hi = mid;
    }
    const before = spans[lo - 1];
    if (before && c.start < before.end) continue;
    spans.splice(lo, 0, c);
    chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start || a.end - b.end || a.rule - b.rule);
}

export function lintText(text: string, set: RuleSet, options: LintOptions = {}): Finding[] {
  const findings = findingsOf(text, set, options);
  return options.directives === false ? findings : applyDirectives(text, findings, set, options);
}

function findingsOf(text: string, set: RuleSet, options: LintOptions): Finding[] {
  if (text.length === 0) return [];
  const n = normalize(text);
  const active = activeRules(set, options);
  const doc = new Document(n);
  if (set.sequenceRules.length) addWords(set.words);
  const raw = [...candidates(set, n.text, active), ...sequenceCandidates(set, doc, active)];
  if (raw.length === 0) return [];

  addWords(set.words);
  const kept: Candidate[] = [];
  for (const c of raw) {
    const rule = set.rules[c.rule]!;
    const sentence = doc.sentence(c.start, c.end);
    if (rule.spec.boundary === 'token' && !doc.onTokenBoundaries(c.start, c.end, sentence)) continue;
    if (doc.excepted(rule, c.start, c.end, sentence)) continue;
    if (!doc.lacking(rule, c.start, c.end, sentence)) continue;
    kept.push(c);
  }
  return toFindings(set, n, dedupe(set, kept), options);
}

function toFindings(set: RuleSet, n: Normalized, kept: Candidate[], options: LintOptions): Finding[] {
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
    const from = lines.position(offset);
    const to = lines.position(offset + length);
    const script = scriptOfLine(from.line - 1);
    return {
      ruleId: spec.id,
      category: spec.category,
      severity: spec.severity,
      message: renderInScript(spec.message, script),
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      offset,
      length,
      excerpt: n.original.slice(offset, offset + length),
      suggestions: spec.suggest.map((s) => ({ ...s, text: renderInScript(s.text, script) })),
      script,
    };
  });
}
