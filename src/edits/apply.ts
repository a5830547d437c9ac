// Turning suggestions into text edits, shared by `huashu fix` and `huashu coach`. Pure: no I/O.
//
// A `replace` suggestion swaps the flagged span; a `rewrite` suggestion is a model sentence and replaces
// the sentence around the span (the engine's sentence boundaries, src/engine/context.ts), its final
// punctuation included when the model sentence brings its own.
import { isSentenceBreak, spanAround, type Span } from '../engine/context.js';
import type { Finding, Suggestion } from '../engine/findings.js';

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

/** Apply edits that do not overlap (in any order): each refers to offsets of the original text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = applyEdit(out, e);
  return out;
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

/** The suggestion `huashu fix` may apply without asking: the first `replace` marked safe. */
export function safeSuggestion(finding: Finding): Suggestion | undefined {
  return finding.suggestions.find((s) => s.kind === 'replace' && s.safe === true);
}

export interface FixResult {
  text: string;
  /** The findings that were fixed, as reported in the pass that fixed them. */
  fixed: Finding[];
  /** What is still reported in the fixed text. */
  remaining: Finding[];
}

/**
 * Apply every safe replacement, lint again, and repeat until nothing safe is left (a fixed point, so
 * fixing twice is fixing once). Only the flagged spans change. Overlapping fixes in one pass: the first wins.
 */
export function fixText(text: string, lint: (text: string) => Finding[], maxPasses = 10): FixResult {
  const fixed: Finding[] = [];
  let current = text;
  let findings = lint(current);
  for (let pass = 0; pass < maxPasses; pass++) {
    const edits: Edit[] = [];
    for (const f of findings) {
      const s = safeSuggestion(f);
      if (!s || f.excerpt === s.text) continue;
      const edit = editFor(current, f, s);
      if (edits.some((e) => e.start < edit.end && edit.start < e.end)) continue;
      edits.push(edit);
      fixed.push(f);
    }
    if (edits.length === 0) break;
    current = applyEdits(current, edits);
    findings = lint(current);
  }
  return { text: current, fixed, remaining: findings };
}
