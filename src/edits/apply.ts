// Turning suggestions into text edits, shared by `huashu fix` and `huashu coach`. Pure: no I/O.
//
// A `replace` suggestion swaps the flagged span; a `rewrite` suggestion is a model sentence and replaces
// the sentence around the span (the engine's sentence boundaries, src/engine/context.ts), its final
// punctuation included when the model sentence brings its own.
import { isSentenceBreak, spanAround, type Span } from '../engine/context.js';
import type { Finding, Suggestion } from '../engine/findings.js';
import { normalizedText } from '../normalize/index.js';
import { isRegexItem } from '../rules/regex-item.js';
import type { SafeGuard } from '../rules/types.js';

/** Replace [start, end) of a text with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

const isLineBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';
const SENTENCE_PUNCTUATION = /[。！？!?；;｡.…]/;
const LEADING_SPACE = /^[\s\u3000]+/;

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/**
 * Apply edits that do not overlap (in any order): each refers to offsets of the original text. One pass
 * over the text, whatever the number of edits (splicing them in one by one copied the text per edit).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Do two edits touch the same characters? (An empty span at another's start does too.) */
const overlaps = (a: Edit, b: Edit) => (a.start < b.end && b.start < a.end) || a.start === b.start;

/**
 * Non-overlapping edits kept sorted by start, so that whether a new edit overlaps one is two neighbours'
 * business (binary search), not a scan of all of them.
 */
class EditSet {
  readonly edits: Edit[] = [];

  /** Add `edit` unless it overlaps one already there; false when it does. */
  add(edit: Edit): boolean {
    const list = this.edits;
    // First index whose start is >= edit.start (edits arrive in text order: usually the end).
    let lo = 0;
    let hi = list.length;
    if (hi > 0 && list[hi - 1]!.start < edit.start) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start < edit.start) lo = mid + 1;
      else hi = mid;
    }
    const before = list[lo - 1];
    const after = list[lo];
    if (before && overlaps(before, edit)) return false;
    if (after && overlaps(after, edit)) return false;
    if (lo === list.length) list.push(edit);
    else list.splice(lo, 0, edit);
    return true;
  }
}

/**
 * The sentence around [offset, offset + length): from after the previous sentence break (leading spaces
 * skipped) up to the next one. With `withPunctuation`, the closing 。！？ run (not a line break) too.
 */
export function sentenceSpan(text: string, offset: number, length: number, withPunctuation = true): Span {
  const { start, end } = spanAround(text, offset, offset + length, isSentenceBreak);
  const lead = LEADING_SPACE.exec(text.slice(start, offset))?.[0].length ?? 0;
  let e = end;
  if (withPunctuation) {
    while (e < text.length && !isLineBreak(text[e]) && SENTENCE_PUNCTUATION.test(text[e]!)) e++;
  }
  return { start: start + lead, end: e };
}

/** The edit that applying `suggestion` to `finding` makes to `text`. */
export function editFor(text: string, finding: Pick<Finding, 'offset' | 'length'>, suggestion: Pick<Suggestion, 'kind' | 'text'>): Edit {
  if (suggestion.kind === 'replace') {
    return { start: finding.offset, end: finding.offset + finding.length, text: suggestion.text };
  }
  // A model sentence that ends in its own 。 replaces the draft's closing punctuation as well.
  const ownPunctuation = SENTENCE_PUNCTUATION.test(suggestion.text.slice(-1));
  const span = sentenceSpan(text, finding.offset, finding.length, ownPunctuation);
  return { start: span.start, end: span.end, text: suggestion.text };
}

/** A guard's word (found anywhere) or /regex/, on normalized text. */
function guardItemMatches(item: string, text: string): boolean {
  return isRegexItem(item) ? new RegExp(normalizedText(item.slice(1, -1)), 'u').test(text) : text.includes(normalizedText(item));
}

/** Where a text node of a structured file ends (a JSON quote, an HTML tag, a line): a guard looks no further. */
const NODE_EDGE = /["<>\n\r]|\\n/g;

/**
 * Findings whose guarded safe replacements are resolved for where they are: `safe` stays true only where
 * the guard holds, and the guard itself is dropped, so that every consumer (JSON, editors, fix, coach)
 * sees an honest `safe`. Findings without a guarded suggestion are returned as they are.
 */
export function resolveSafeGuards(text: string, findings: Finding[]): Finding[] {
  let out: Finding[] | undefined;
  findings.forEach((f, i) => {
    if (!f.suggestions.some((s) => (s as { guard?: SafeGuard }).guard !== undefined)) return;
    out ??= findings.slice();
    out[i] = {
      ...f,
      suggestions: f.suggestions.map((s) => {
        const { guard, ...rest } = s as Suggestion & { guard?: SafeGuard };
        if (guard === undefined) return s;
        return rest.safe === true && !guardHolds(text, f, guard) ? { ...rest, safe: false } : rest;
      }),
    };
  });
  return out ?? findings;
}

/**
 * Does a safe replacement's guard hold for `finding` in `text`? The sentence around the flagged words is
 * split into what comes before and after them, both normalized (simplified), as rules are written.
 * No guard: it holds.
 */
export function guardHolds(text: string, finding: Pick<Finding, 'offset' | 'length' | 'excerpt'>, guard: SafeGuard | undefined): boolean {
  if (!guard) return true;
  const sentence = sentenceSpan(text, finding.offset, finding.length, false);
  let beforeRaw = text.slice(sentence.start, finding.offset);
  let afterRaw = text.slice(finding.offset + finding.length, Math.max(sentence.end, finding.offset + finding.length));
  // Quotation marks around the flagged words (您的"投訴", 您的「投訴」, JSON's \") are not an edge.
  beforeRaw = beforeRaw.replace(/(\\?["“”「」『』])+$/u, '');
  afterRaw = afterRaw.replace(/^(\\?["“”「」『』])+/u, '');
  // In a JSON string, an HTML text node or a Markdown line, the sentence ends where the node does.
  const edges = [...beforeRaw.matchAll(NODE_EDGE)];
  if (edges.length) {
    const last = edges[edges.length - 1]!;
    beforeRaw = beforeRaw.slice(last.index + last[0].length);
  }
  const firstEdge = afterRaw.search(NODE_EDGE);
  if (firstEdge >= 0) afterRaw = afterRaw.slice(0, firstEdge);
  const before = normalizedText(beforeRaw);
  const after = normalizedText(afterRaw);
  const excerpt = normalizedText(text.slice(finding.offset, finding.offset + finding.length));
  const any = (items: string[] | undefined, on: string) => items === undefined || items.some((i) => guardItemMatches(i, on));
  const none = (items: string[] | undefined, on: string) => items === undefined || !items.some((i) => guardItemMatches(i, on));
  if (guard.excerpt && !guard.excerpt.some((i) => (isRegexItem(i) ? guardItemMatches(i, excerpt) : excerpt === normalizedText(i)))) return false;
  return any(guard.before, before) && any(guard.after, after) && none(guard.unless?.before, before) && none(guard.unless?.after, after);
}

/**
 * The suggestion `huashu fix` may apply without asking: the first `replace` marked safe whose guard (if
 * it has one) holds where the finding is. Without `text`, a guarded replacement is never safe.
 */
export function safeSuggestion(finding: Finding, text?: string): Suggestion | undefined {
  return finding.suggestions.find((s) => {
    if (s.kind !== 'replace' || s.safe !== true) return false;
    const guard = (s as { guard?: SafeGuard }).guard;
    return guard === undefined || (text !== undefined && guardHolds(text, finding, guard));
  });
}

export interface FixResult {
  text: string;
  /** The findings that were fixed, as reported in the pass that fixed them. */
  fixed: Finding[];
  /** What is still reported in the fixed text. */
  remaining: Finding[];
}

/**
 * The safe fixes did not reach a fixed point within the passes allowed: a replacement recreates what it
 * replaces (a team pack's `放心` → `請放心`, say), and the text would grow with every pass.
 */
export class FixNotConvergingError extends Error {
  constructor(
    readonly passes: number,
    /** Rule ids that still had a safe fix to make after the last pass. */
    readonly ruleIds: readonly string[],
  ) {
    super(`safe fixes do not converge: after ${passes} passes ${ruleIds.join(', ')} still ${ruleIds.length === 1 ? 'has' : 'have'} a fix to make (a replacement that recreates its own trigger?)`);
    this.name = 'FixNotConvergingError';
  }
}

/** The safe edits of one pass over `text`: the first of overlapping fixes wins. */
function safeEdits(text: string, findings: readonly Finding[]): { edits: Edit[]; fixed: Finding[] } {
  const set = new EditSet();
  const fixed: Finding[] = [];
  for (const f of findings) {
    const s = safeSuggestion(f, text);
    if (!s || f.excerpt === s.text) continue;
    if (set.add(editFor(text, f, s))) fixed.push(f);
  }
  return { edits: set.edits, fixed };
}

/**
 * Apply every safe replacement, lint again, and repeat until nothing safe is left (a fixed point, so
 * fixing twice is fixing once). Only the flagged spans change. Overlapping fixes in one pass: the first
 * wins. Throws FixNotConvergingError when there is still something to fix after `maxPasses` passes.
 */
export function fixText(text: string, lint: (text: string) => Finding[], maxPasses = 10): FixResult {
  const fixed: Finding[] = [];
  let current = text;
  let findings = lint(current);
  for (let pass = 0; ; pass++) {
    const next = safeEdits(current, findings);
    if (next.edits.length === 0) break;
    if (pass === maxPasses) throw new FixNotConvergingError(maxPasses, [...new Set(next.fixed.map((f) => f.ruleId))].sort());
    for (const f of next.fixed) fixed.push(f); // not push(...): 100k arguments overflow the stack
    current = applyEdits(current, next.edits);
    findings = lint(current);
  }
  return { text: current, fixed, remaining: findings };
}
