// Building a finding's suggestions (called by the engine for each finding it reports, and only then).
//
// 1. The rule's `replace` suggestions that fit the frame around the span (`fits`, ./frames.ts).
// 2. A rewrite of the draft's own sentence (./rewrite.ts): its facts kept, what the rule objects to changed.
// 3. Model sentences chosen by the reply's topic and the finding's category (./models.ts), then the
//    rule's own rewrites — minus any with a blank the agent would have to fill, English translationese,
//    or a time or remedy the draft never gave.
// Every candidate is linted again in place (its sentence with the change made): a suggestion whose result
// any rule would flag is never offered.
import type { Suggestion } from '../engine/findings.js';
import { analyzeTurn, clauseAt, turnAround, type Subject, type Turn } from '../engine/clauses.js';
import type { Normalized, Script } from '../normalize/index.js';
import { SCRIPTS } from '../normalize/render.js';
import type { Answer, RuleSpec, SuggestionSpec } from '../rules/types.js';
import { sentenceSpan } from '../edits/apply.js';
import { resolveSource } from '../explain/sources.js';
import { QUOTES, fitsFrame, type Frame } from './frames.js';
import { MODELS, modelsFor, topicOf, type Topic } from './models.js';
import { isCantonese, phraseTexts, render, type Register } from './register.js';
import { PHRASES, hedgeRewrite, refusalRewrite } from './rewrite.js';
import type { Relinted } from './prechecked.js';

export interface SuggestContext {
  spec: RuleSpec;
  n: Normalized;
  /** The span in normalized text. */
  start: number;
  end: number;
  /** The span in the original text. */
  offset: number;
  length: number;
  script: Script;
  /** What a candidate would be flagged for, by the rule set of the draft. */
  relint: Relinter;
  /** At most this many alternatives (default MAX): an audit that shows only the first asks for one. */
  limit?: number;
  /** The lint's own clause analysis of the turn around an offset, so that it is not made twice. */
  turnAt?: (at: number) => Turn;
}

/**
 * Candidates linted per turn (line) at most: a reply needs a handful; a line dense with findings (a whole
 * export on one line) stays linear. Past it only candidates already linted (cached) are offered; the
 * others are not, as they could not be checked.
 */
const TURN_BUDGET = 24;

/** Texts this module renders in the draft's script: prerendered at build time with the packs' texts. */
export function suggestionTexts(): string[] {
  return phraseTexts([...Object.values(PHRASES), ...MODELS, ...HANDOFF]);
}

/** A blank for the agent to fill: (時間), （解決方案）, (…), 【…】. */
const BLANK = /[(（【]\s*(…|\.\.\.|[^()（）【】]{0,8}(時間|时间|方案|方法|團隊|团队|原因|範圍|范围|部門|部门|…)[^()（）【】]{0,4})\s*[)）】]/u;
/** Sentences translated word for word from English in one seed document: not offered. */
const TRANSLATIONESE = /提請我們注意|提请我们注意|達到相同|达到相同|類似\)的效果|类似\)的效果|我們犯了一個錯誤|我们犯了一个错误|這裡有一種方法|这里有一种方法|我不確定如何現在就回答|我不确定如何现在就回答/u;
/** A model sentence that states a time, a remedy or a cause the draft may never have given. */
const INVENTED = /[0-9０-９]|[一二三四五六七八九十兩两]\s*(天|個工作日|个工作日|小時|小时)|週[一二三四五六日]|周[一二三四五六日]|下週|下周|免費|免费|優先維修|优先维修|替代品|新品|升級|升级|系統升級|系统升级|網路訊號|网络信号|路由器|零件|立即|立刻|馬上|马上/u;

export function offerable(text: string): boolean {
  return !BLANK.test(text) && !TRANSLATIONESE.test(text);
}

// Which kind of model sentence serves which rule.
/** How the rule's findings are answered (`answer:` in the pack; by default, by the rule's category). */
function answerOf(spec: RuleSpec): Answer | undefined {
  return spec.answer ?? ({ overpromise: 'expectation', negative: 'alternative', blame: 'ownership' } as Record<string, Answer>)[spec.category];
}

/** The model sentences' category for an answer (a team's own category keeps its own). */
function modelCategory(spec: RuleSpec): string {
  const answer = answerOf(spec);
  if (answer === 'courtesy') return 'tone';
  if (answer === 'handoff') return 'handoff';
  return answer === undefined ? spec.category : { expectation: 'overpromise', alternative: 'negative', ownership: 'blame' }[answer];
}

const HANDOFF = [
  { zh: '这部分需要相关同事确认，我帮您转达并跟进，有结果会告诉您。', yue: '呢部分要相關同事確認，我幫你轉達同跟進，有結果會話你知。', source: { doc: '002_c98b8a495b5e3139.txt', section: '2.他們不知道答案' } },
];

const turnCache = new WeakMap<Normalized, Map<number, { turn: Turn; topic: Topic; left: number }>>();

/** Past this many characters a sentence gets no rewrite; its replacements are checked in a window of WINDOW each side. */
const LONG_SENTENCE = 300;
const WINDOW = 40;

/** Alternatives offered at most for one finding. */
const MAX = 3;

/**
 * Candidates linted again with one rule set (every rule, no suggestions), remembered by text: the same
 * candidate comes back draft after draft. One per set, so that two configs never share their answers.
 */
export class Relinter {
  private readonly known = new Map<string, readonly Relinted[]>();

  /**
   * @param lint lints a text with the set
   * @param prechecked findings the build found for the set's candidates (./prechecked.ts), if it saw this set
   */
  constructor(
    private readonly lint: (text: string) => readonly Relinted[],
    private readonly prechecked?: (text: string) => readonly Relinted[] | undefined,
  ) {}

  /** The findings of a text linted before in this process, or undefined. */
  remembered(text: string): readonly Relinted[] | undefined {
    return this.known.get(text);
  }

  /** The findings of a text: found at build time, or linted now. */
  findings(text: string): readonly Relinted[] {
    const found = this.prechecked?.(text) ?? this.lint(text);
    if (this.known.size > 5000) this.known.clear();
    this.known.set(text, found);
    return found;
  }
}

function register(ctx: SuggestContext, sentence: string): Register {
  return { script: ctx.script, cantonese: isCantonese(sentence) };
}

export function buildSuggestions(ctx: SuggestContext): Suggestion[] {
  const { spec, n, offset, length } = ctx;
  const max = Math.min(MAX, ctx.limit ?? MAX);
  const text = n.original;
  let span = sentenceSpan(text, offset, length, true);
  // A "sentence" of hundreds of characters (a line without punctuation) is not rewritten whole; a
  // replacement is checked in a window around it.
  const long = span.end - span.start > LONG_SENTENCE;
  if (long) span = { start: Math.max(span.start, offset - WINDOW), end: Math.min(span.end, offset + length + WINDOW) };
  const sentence = text.slice(span.start, span.end);
  const reg = register(ctx, sentence);
  // the turn's analysis and topic, once per turn of a text (a long line has many findings)
  let turns = turnCache.get(n);
  if (!turns) turnCache.set(n, (turns = new Map()));
  const around = turnAround(n.text, ctx.start);
  let analysed = turns.get(around.start);
  if (!analysed) {
    const t = ctx.turnAt?.(ctx.start) ?? analyzeTurn(n.text, around);
    turns.set(around.start, (analysed = { turn: t, topic: topicOf(n.text.slice(t.start, t.end)), left: TURN_BUDGET }));
  }
  const turn = analysed.turn;
  const budget = analysed;
  const clause = clauseAt(turn, ctx.start);
  const subject: Subject = clause?.subject ?? 'none';
  // A span in quotation marks (關於您的"投訴") is a clause of its own: its frame is read past the marks.
  const quotedBefore = QUOTES.test(n.text[ctx.start - 1] ?? '');
  const quotedAfter = QUOTES.test(n.text[ctx.end] ?? '');
  const frame: Frame = {
    before: clause && !quotedBefore ? n.text.slice(clause.start, ctx.start) : n.text.slice(Math.max(0, ctx.start - 8), ctx.start),
    after: clause && !quotedAfter ? n.text.slice(ctx.end, Math.max(ctx.end, clause.end)) : n.text.slice(ctx.end, ctx.end + 12),
    subject,
  };
  const topic: Topic = analysed.topic;
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  // What the sentence is flagged for as it stands: a candidate may keep those, but add nothing new.
  const key = (f: Relinted) => `${f.ruleId}\u0000${f.excerpt}`;
  let before: Map<string, number> | undefined;
  const existing = () => {
    if (!before) {
      before = new Map();
      for (const f of relinted(sentence) ?? []) before.set(key(f), (before.get(key(f)) ?? 0) + 1);
    }
    return before;
  };
  const relinted = (t: string): readonly Relinted[] | undefined => {
    let f = ctx.relint.remembered(t);
    if (f === undefined) {
      // A candidate found at build time counts as one linted: the same ones are offered with or without the table.
      if (budget.left <= 0) return undefined;
      budget.left--;
      f = ctx.relint.findings(t);
    }
    return f;
  };
  /** Would `candidate` (the sentence as it would read) be flagged for something new, or still for this rule where it changed? */
  const flagged = (candidate: string, changedFrom: number, changedTo: number): boolean => {
    const found = relinted(candidate);
    if (found === undefined) return true; // not checked: not offered
    if (found.length === 0) return false; // the common case: the draft's own findings are not needed
    const left = new Map(existing());
    for (const f of found) {
      if (f.ruleId === spec.id && f.offset < Math.max(changedTo, changedFrom + 1) && f.offset + f.length > changedFrom) return true;
      const n = left.get(key(f)) ?? 0;
      if (n === 0) return true;
      left.set(key(f), n - 1);
    }
    return false;
  };
  const rewrite = (candidate: string | undefined, source?: SuggestionSpec['source']) => {
    if (candidate === undefined || seen.has(candidate) || candidate === sentence || !offerable(candidate)) return;
    if (flagged(candidate, 0, candidate.length)) return;
    seen.add(candidate);
    // model sentences name their document by file: cited by title and section, as the packs' are
    out.push({ kind: 'rewrite', text: candidate, ...(source ? { source: resolveSource(source) } : {}) });
  };

  // 1. replacements that fit
  const at = offset - span.start;
  let replaceSpecs = 0;
  for (const s of spec.suggest) {
    if (s.kind !== 'replace') continue;
    replaceSpecs++;
    if (out.length >= max) continue; // counted, not tried: each one tried is linted again
    if (!fitsFrame(s.fits, frame)) continue;
    const t = render(s.text, ctx.script);
    if (seen.has('\u0001' + t)) continue;
    const candidate = sentence.slice(0, at) + t + sentence.slice(at + length);
    if (flagged(candidate, at, at + t.length)) continue;
    seen.add('\u0001' + t);
    out.push({ kind: 'replace', text: t, ...(s.source ? { source: s.source } : {}), ...(s.safe ? { safe: true } : {}), ...(s.fits ? { fits: s.fits } : {}), ...(s.guard ? { guard: s.guard } : {}) });
  }

  if (long || out.length >= max) return out;

  // 2. the draft's own sentence, rewritten
  const id = spec.id;
  if (spec.category === 'overpromise') rewrite(hedgeRewrite(sentence, subject, reg), spec.suggest.find((s) => s.source)?.source);
  else if (spec.category === 'negative' && answerOf(spec) === 'alternative') rewrite(refusalRewrite(sentence, n.text.slice(turn.start, turn.end), topic, reg), { doc: '000_904e8ece3c647f0d.txt', section: '三、6. 提供替代方案' });
  else if (/sarcastic/.test(id)) {
    // the emoticon deleted: the rest of the sentence stays as the agent wrote it
    const deleted = sentence.slice(0, at) + sentence.slice(at + length);
    if (!flagged(deleted, at, at)) out.push({ kind: 'replace', text: '', ...(spec.suggest.find((s) => s.source)?.source ? { source: spec.suggest.find((s) => s.source)!.source } : {}) });
  }

  // 3. model sentences by topic and category, then the rule's own (fact-free ones only): as further
  // alternatives, up to MAX in all (each one is linted again, so no more are tried than are shown)
  if (replaceSpecs === 0 || out.length === 0) {
    const category = modelCategory(spec);
    const models = category === 'handoff' ? HANDOFF : modelsFor(category, topic);
    for (const m of models) {
      if (out.length >= max) break;
      rewrite(render(reg.cantonese && m.yue ? m.yue : m.zh, ctx.script), m.source);
    }
    for (const { text, source } of ruleRewrites(spec, ctx.script)) {
      if (out.length >= max) break;
      rewrite(text, source);
    }
  }
  return out;
}

/** The rule's own rewrites in a script, minus those that state a time or remedy (INVENTED) or cannot be offered. */
function* ruleRewrites(spec: RuleSpec, script: Script): Generator<{ text: string; source: SuggestionSpec['source'] }> {
  for (const s of spec.suggest) {
    if (s.kind !== 'rewrite') continue;
    const text = render(s.text, script);
    if (!INVENTED.test(text) && offerable(text)) yield { text, source: s.source };
  }
}

/**
 * The candidates that are the same whatever the draft (step 3: model sentences and the rules' own
 * rewrites, in every script), for the build to lint once (./prechecked.ts).
 */
export function constantCandidates(specs: readonly RuleSpec[]): string[] {
  const texts = new Set<string>();
  for (const script of SCRIPTS) {
    for (const m of [...MODELS, ...HANDOFF]) for (const t of m.yue ? [m.zh, m.yue] : [m.zh]) texts.add(render(t, script));
    for (const spec of specs) for (const r of ruleRewrites(spec, script)) texts.add(r.text);
  }
  return [...texts];
}
