// The rule pack format (docs/rules.md). These are the shapes after validation, before compilation.

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export type RuleKind = 'phrase' | 'pattern' | 'sequence' | 'absence' | 'classifier';
export const RULE_KINDS: readonly RuleKind[] = ['phrase', 'pattern', 'sequence', 'absence', 'classifier'];
export const BUILTIN_CATEGORIES = ['overpromise', 'negative', 'blame'] as const;

export { isRegexItem } from './regex-item.js';
import type { SpeechAct, Subject } from '../engine/clauses.js';
import type { FitSpec } from '../suggest/frames.js';
export { SPEECH_ACTS, SUBJECTS, type SpeechAct, type Subject } from '../engine/clauses.js';

export interface SourceRef {
  /** Seed document file name, e.g. 000_904e8ece3c647f0d.txt */
  doc: string;
  /** A heading (or short passage) inside that document (in the document's own script for the seeds). */
  section: string;
  /** The document's title (the training documents': src/explain/sources.ts); absent for others. */
  title?: string;
  /** 1-based line in the document (a team document's model reply). */
  line?: number;
}

export interface SuggestionSpec {
  /** `replace` swaps the flagged span; `rewrite` is a whole model sentence. */
  kind: 'replace' | 'rewrite';
  text: string;
  source?: SourceRef;
  /** A replace that `huashu fix` may apply without asking. */
  safe?: boolean;
  /**
   * Where a `safe` replacement is right: `huashu fix` applies it only where the guard holds (problem 问题,
   * not a question's 问题). Words or /regex/, matched in the normalized (simplified) sentence.
   */
  guard?: SafeGuard;
  /** A replace: the grammatical frame it fits (src/suggest/frames.ts); offered only there. */
  fits?: FitSpec;
  /** A replace: drafts and what applying it makes of them (`huashu rules test` checks them). */
  examples?: { draft: string; result: string }[];
  /** A replace: drafts where it must not be offered. */
  misfits?: string[];
}

export interface SafeGuard {
  /** The flagged words must be one of these. */
  excerpt?: string[];
  /** The sentence before the flagged words must match one of these. */
  before?: string[];
  /** The sentence after the flagged words must match one of these. */
  after?: string[];
  /** Not where the sentence before (or after) the flagged words matches one of these. */
  unless?: { before?: string[]; after?: string[] };
}

export interface UnlessSpec {
  /** Exception words (or /regex/) found before the match in the same sentence (or within `window`). */
  before?: string[];
  /** Exception words (or /regex/) found after the match in the same sentence (or within `window`). */
  after?: string[];
  /** Anywhere in the same clause (split at ，、：). */
  clause?: string[];
  /** Anywhere in the same sentence. */
  sentence?: string[];
  /** Anywhere in the same line: a line is one reply when drafts are listed one per line. */
  line?: string[];
  /** How many characters before/after the match `before`/`after` look at (default: to the sentence edge). */
  window?: number;
  /** Clause analysis (engine/clauses.ts): skip the match when its clause or turn is like this. */
  act?: SpeechAct[];
  subject?: Subject[];
  /** true: skip the match when the turn offers an alternative or next step anywhere else. */
  alternative?: boolean;
  /** true: skip the match when its clause is hedged (可能, 一般, 预计…). */
  hedged?: boolean;
  /** true: skip the match when the agent offers to do something itself elsewhere in the turn. */
  help?: boolean;
}

/**
 * Clause analysis conditions a match must meet (`when`): each key given must hold. `act` and `subject`
 * list the acceptable values (any of them); `alternative`/`hedged` say what the turn or clause must be.
 */
export interface WhenSpec {
  act?: SpeechAct[];
  subject?: Subject[];
  alternative?: boolean;
  hedged?: boolean;
  help?: boolean;
}

/** Where an absence rule looks for what must be there. */
export type LacksScope = 'clause' | 'sentence' | 'line' | 'reply';
export const LACKS_SCOPES: readonly LacksScope[] = ['clause', 'sentence', 'line', 'reply'];

export interface LacksSpec {
  /** The span around the trigger that must hold one of `words` (default: sentence). */
  scope: LacksScope;
  /** Words or /regular expressions/; the rule fires when none of them is in the scope. */
  words: string[];
}

export interface RuleSpec {
  id: string;
  kind: RuleKind;
  category: string;
  severity: Severity;
  message: string;
  description?: string;
  why?: { quote: string; source: SourceRef };
  /** classifier rules: `model` (a JSON file, relative to the pack file) and `threshold` (0–1). */
  match: { phrases?: string[]; patterns?: string[]; sequences?: string[]; model?: string; threshold?: number };
  /** `token` (default for phrases): a match must start and end on jieba token boundaries. */
  boundary: 'token' | 'none';
  /** Clause analysis conditions the match's clause must meet. */
  when?: WhenSpec;
  unless?: UnlessSpec;
  /** absence rules: what the scope around the trigger must contain. */
  lacks?: LacksSpec;
  suggest: SuggestionSpec[];
  /**
   * Which of the training documents' model replies answer this rule's findings: `expectation` (say what
   * is expected), `alternative` (offer a way), `ownership` (own the situation), `courtesy` (acknowledge,
   * then help) or `handoff` (take it up and report back). Default: by category (overpromise →
   * expectation, negative → alternative, blame → ownership).
   */
  answer?: Answer;
  /** `spans[i]`, when given, is the excerpt `bad[i]` must be flagged at (`{ text, span }` in YAML). */
  examples?: { bad?: string[]; good?: string[]; spans?: (string | undefined)[] };
  /** Where the rule was defined. */
  location: { file: string; line: number; column: number };
  /** Every regular expression of the rule (match.patterns and /…/ items of unless), and where it is written. */
  regexes?: RegexSource[];
  /**
   * Precomputed by the build for a cached built-in rule; never written by users (parsePack has no key for
   * it). What compiling the rule's text gives, so start-up neither normalizes nor parses an expression.
   * It belongs to this rule's text exactly: whoever changes `match` (or another text) must drop it.
   */
  precomputed?: PrecomputedRule;
  pack: string;
}

/** What compiling a built-in rule computes from its text alone (scripts/build-pack-cache.mjs). */
export interface PrecomputedRule {
  /** Each string of the rule but its patterns whose canonical form differs from it → that form; any other is its own form. */
  forms: Record<string, string>;
  /**
   * Per pattern of match.patterns, in order: its canonical form, or null when that is the pattern itself.
   * Not in `forms`: a long pattern costs start-up more as a JSON key than as a value.
   */
  patterns: (string | null)[];
  /** Per pattern of match.patterns, in order: its anchors, flat ([text, min, max, …]), or null for none. */
  anchors: ((string | number)[] | null)[];
  /** Per pattern, in order: the words it also needs (rules/anchors.ts patternRequirements), or 0 for none. */
  requires: (string[][] | 0)[];
}

export const ANSWERS = ['expectation', 'alternative', 'ownership', 'courtesy', 'handoff'] as const;
export type Answer = (typeof ANSWERS)[number];

export interface PackSpec {
  pack: string;
  description?: string;
  file: string;
  rules: RuleSpec[];
}

export interface RegexSource {
  source: string;
  /** e.g. `match.patterns` or `unless.after` */
  key: string;
  /** Matched against a whole token (`^(?:…)$`): a sequence's /…/ element. */
  whole?: boolean;
  line: number;
  column: number;
}
