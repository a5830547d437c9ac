// Compile validated packs into a RuleSet the engine can run: phrases and exception words brought to the
// same canonical form as the text (normalize), regular expressions built once, duplicate ids refused.
// A cached built-in rule brings its canonical forms and anchors (RuleSpec.precomputed, computed by the
// build with precomputeRule below): compiling it then neither normalizes nor parses an expression.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile, type ClassifierModel } from '../classifier/index.js';
import { KeywordIndex } from '../engine/keywords.js';
import type { PatternMatcher } from '../engine/patterns.js';
import { isInside, projectRoot } from '../inputs/project.js';
import { READ_LIMITS, ReadLimitError, readRegularFile } from '../inputs/read-limited.js';
import { withHanRanges } from '../normalize/han.js';
import { normalizedText } from '../normalize/index.js';
import { anchorsFor, flattenAnchors, requirementsFor, unflattenAnchors } from './anchors.js';
import { RuleError } from './errors.js';
import { servedFromPackCache } from './pack-cache.js';
import { parseSequence, sequenceWords, type SequencePattern } from './sequence.js';
import { isRegexItem, type LacksScope, type PackSpec, type PrecomputedRule, type RuleSpec } from './types.js';

export type ContextMatcher = string | RegExp;

const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/**
 * The model file of a classifier rule, relative to its pack. A user's pack may only name a regular JSON
 * file of bounded size inside its own project, and errors never quote the file (it may be anything).
 */
function modelPath(spec: RuleSpec, model: string): string {
  const path = resolve(dirname(spec.location.file), model);
  if (spec.location.file.startsWith(BUILTIN_RULES_DIR)) return path;
  const root = projectRoot(dirname(spec.location.file));
  if (!isInside(path, root)) throw new Error(`classifier model '${model}' is outside the pack's project (${root})`);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, READ_LIMITS.modelBytes);
  } catch (e) {
    if (e instanceof ReadLimitError) throw new Error(`classifier model ${path}: ${e.message}`);
    throw new Error(`cannot read classifier model ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`classifier model ${path}: not valid JSON`);
  }
  return path;
}

export interface CompiledUnless {
  before: ContextMatcher[];
  after: ContextMatcher[];
  clause: ContextMatcher[];
  sentence: ContextMatcher[];
  line: ContextMatcher[];
  window?: number;
}

export interface CompiledRule {
  readonly spec: RuleSpec;
  readonly phrases: readonly string[];
  readonly patterns: readonly RegExp[];
  /** The patterns with their anchors, as engine/patterns.ts runs them. */
  readonly matchers: readonly PatternMatcher[];
  readonly sequences: readonly SequencePattern[];
  readonly unless: CompiledUnless | undefined;
  /** Does the rule ask the clause analysis (`when`, or act/subject/alternative/hedged in `unless`)? */
  readonly usesClauses: boolean;
  /** classifier rules: the model and the probability from which a reply is flagged. */
  readonly classifier: { model: ClassifierModel; threshold: number } | undefined;
  /** absence rules: the match is reported only when none of these is in `scope`. */
  readonly lacks: { scope: LacksScope; matchers: ContextMatcher[] } | undefined;
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Every canonical phrase → indexes of the rules that match on it. */
  readonly phraseRules: ReadonlyMap<string, readonly number[]>;
  /** Indexes of the classifier rules (they score every line). */
  readonly classifierRules: readonly number[];
  /** Patterns without anchors (rule, index in matchers): they scan every text. */
  readonly unanchored: readonly { rule: number; pattern: number }[];
  /** Indexes of the rules with sequences (they need part-of-speech tags). */
  readonly sequenceRules: readonly number[];
  /** Words the segmenter must keep whole (rule phrases, sequence words, the config's dictionary). */
  readonly words: readonly string[];
  /**
   * Those of `words` the build did not see (a rule not served from the pack cache, the config's
   * dictionary): the segmenter adds the dictionary words that cross them (segment/index.ts).
   */
  readonly unseenWords: readonly string[];
  /** The phrases and the pattern anchors: one pass over a text finds both. */
  readonly keywords: KeywordIndex;
  /** By keyword id (KeywordIndex.keywords): the rules it is a phrase of, the patterns it anchors (and where). */
  readonly keywordEntries: readonly KeywordEntry[];
  /** How many patterns the set has in all (AnchorUse.id < patternCount). */
  readonly patternCount: number;
  /**
   * By pattern id: keyword ids of the words a match also needs, one of each list (PatternMatcher.requires),
   * or undefined. A text without one of a list's words is never run through the pattern.
   */
  readonly requires: readonly (readonly (readonly number[])[] | undefined)[];
  /** Ids of the rules compiled but turned off (CompileOptions.off): they never fire. */
  readonly off: ReadonlySet<string>;
}

export interface AnchorUse {
  rule: number;
  pattern: number;
  /** The pattern's number among all patterns of the set (see RuleSet.patternCount). */
  id: number;
  min: number;
  max: number;
}

// Shared, never written (the types say so). Not frozen: a frozen array has another shape, and the keyword
// pass, which reads an entry for every keyword it visits, would slow down reading two shapes.
const NONE: readonly never[] = [];
/** The entry of a quiet keyword (KeywordIndex): never visited, so never read. */
const NOTHING_STARTS: KeywordEntry = { phraseRules: NONE, uses: NONE };

/** What one keyword (a phrase, an anchor or both) starts: found once per occurrence, by its id. */
export interface KeywordEntry {
  /** Rules that match on it as a phrase. */
  readonly phraseRules: readonly number[];
  /** Patterns it anchors. */
  readonly uses: readonly AnchorUse[];
}

/** A rule's strings (words, expressions) → their canonical forms, as the text is normalized (normalize). */
type Canonicalizer = (s: string) => string;

// Forms normalized so far: users' packs, rules/extra and a config's dictionary, each string once.
const canonicalForms = new Map<string, string>();

function canonical(s: string): string {
  let c = canonicalForms.get(s);
  if (c === undefined) {
    c = normalizedText(s);
    canonicalForms.set(s, c);
  }
  return c;
}

/** A cached built-in rule carries its forms (computed by the build): compiling it normalizes nothing. */
function canonicalizer(spec: RuleSpec): Canonicalizer {
  const forms = spec.precomputed?.forms;
  if (!forms) return canonical;
  return (s) => {
    const form = forms[s];
    return typeof form === 'string' ? form : s; // typeof: a word such as 'constructor' is not Object's
  };
}

function contextMatchers(items: string[] | undefined, canon: Canonicalizer): ContextMatcher[] {
  return (items ?? []).map((item) => (isRegexItem(item) ? new RegExp(withHanRanges(canon(item.slice(1, -1))), 'u') : canon(item)));
}

/** What a rule's text compiles to, whatever the set it is in. */
type CompiledText = Pick<CompiledRule, 'phrases' | 'patterns' | 'matchers' | 'sequences' | 'unless' | 'lacks'>;

/**
 * Compile a rule's text. One code path for compileRules and for the build's precomputeRule, so what the
 * build stores is what compiling gives.
 */
function compileText(spec: RuleSpec, canon: Canonicalizer): CompiledText {
  const pre = spec.precomputed;
  const anchors = pre?.anchors;
  const sources = (spec.match.patterns ?? []).map((p, i) => (pre ? (pre.patterns[i] ?? p) : canon(p)));
  const patterns = sources.map((p) => new RegExp(withHanRanges(p), 'gu'));
  const u = spec.unless;
  return {
    phrases: [...new Set((spec.match.phrases ?? []).map((p) => canon(p)).filter(Boolean))],
    patterns,
    // A missing precomputed entry would be null: the pattern scans every text, still exact, only slower.
    matchers: patterns.map((global, i) => {
      const a = anchors ? unflattenAnchors(anchors[i] ?? null) : anchorsFor(sources[i]!, 'gu');
      const requires = pre ? pre.requires?.[i] || [] : requirementsFor(sources[i]!, 'gu');
      return requires.length ? { global, anchors: a, requires } : { global, anchors: a };
    }),
    sequences: (spec.match.sequences ?? []).map((p) => parseSequence(p, canon)),
    lacks: spec.lacks && { scope: spec.lacks.scope, matchers: contextMatchers(spec.lacks.words, canon) },
    unless: u && {
      before: contextMatchers(u.before, canon),
      after: contextMatchers(u.after, canon),
      clause: contextMatchers(u.clause, canon),
      sentence: contextMatchers(u.sentence, canon),
      line: contextMatchers(u.line, canon),
      window: u.window,
    },
  };
}

/**
 * For the build (scripts/build-pack-cache.mjs): compile a built-in rule as any pack's rule is compiled,
 * recording every form that differs from its string and the anchors found for each pattern.
 */
export function precomputeRule(spec: RuleSpec): PrecomputedRule {
  const forms = new Map<string, string>();
  const uses = new Map<string, number>();
  const text = compileText({ ...spec, precomputed: undefined }, (s) => {
    uses.set(s, (uses.get(s) ?? 0) + 1);
    const form = canonical(s);
    if (form !== s) forms.set(s, form);
    return form;
  });
  const patterns = spec.match.patterns ?? [];
  const patternForms = patterns.map((p) => forms.get(p) ?? null);
  // A pattern's form is taken by position; it stays in `forms` only if the rule has the same text elsewhere.
  for (const p of patterns) if (uses.get(p) === patterns.filter((q) => q === p).length) forms.delete(p);
  // fromEntries: a plain assignment of '__proto__' would set the prototype instead of a key.
  return {
    forms: Object.fromEntries(forms),
    patterns: patternForms,
    anchors: text.matchers.map((m) => flattenAnchors(m.anchors)),
    requires: text.matchers.map((m) => (m.requires?.length ? m.requires.map((g) => [...g]) : 0)),
  };
}

export interface CompileOptions {
  /** Extra words for the segmenter (a config's `dictionary`): `word` or `word tag`. */
  dictionary?: readonly string[];
  /**
   * Ids of rules turned off (a config's `off`): compiled and listed in `rules` (so names, listings and
   * directives still know them) but entered in no index, so they never fire whatever the lint options.
   */
  off?: readonly string[];
}

export function compileRules(packs: readonly PackSpec[], options: CompileOptions = {}): RuleSet {
  const rules: CompiledRule[] = [];
  const sequenceRules: number[] = [];
  const classifierRules: number[] = [];
  const extraWords: string[] = [];
  const phraseRules = new Map<string, number[]>();
  const anchorUses = new Map<string, AnchorUse[]>();
  const unanchored: { rule: number; pattern: number }[] = [];
  let patternCount = 0;
  /** By pattern id: the words each match also needs (PatternMatcher.requires). */
  const requiredWords = new Map<number, readonly (readonly string[])[]>();
  const seen = new Map<string, RuleSpec>();
  const unseenWords = new Set<string>();
  const off = new Set(options.off ?? []);
  for (const pack of packs) {
    for (const spec of pack.rules) {
      const prev = seen.get(spec.id);
      if (prev) {
        throw new RuleError(
          `duplicate rule id '${spec.id}': also defined at ${prev.location.file}:${prev.location.line}:${prev.location.column} — rename one, or turn the other off`,
          spec.location.file,
          spec.location.line,
          spec.location.column,
        );
      }
      seen.set(spec.id, spec);
      const index = rules.length;
      const fires = !off.has(spec.id);
      const text = compileText(spec, canonicalizer(spec));
      for (const p of fires ? text.phrases : []) {
        const list = phraseRules.get(p) ?? [];
        list.push(index);
        phraseRules.set(p, list);
      }
      if (fires && !servedFromPackCache(spec)) for (const w of [...text.phrases, ...text.sequences.flatMap(sequenceWords)]) unseenWords.add(w);
      const u = spec.unless;
      if (text.sequences.length && fires) sequenceRules.push(index);
      for (const seq of fires ? text.sequences : []) extraWords.push(...sequenceWords(seq));
      let classifier: CompiledRule['classifier'];
      if (spec.kind === 'classifier' && spec.match.model && spec.match.threshold !== undefined) {
        try {
          classifier = { model: loadModelFile(modelPath(spec, spec.match.model)), threshold: spec.match.threshold };
        } catch (e) {
          throw new RuleError(`rule '${spec.id}': ${(e as Error).message}`, spec.location.file, spec.location.line, spec.location.column);
        }
        if (fires) classifierRules.push(index);
      }
      text.matchers.forEach((m, pattern) => {
        const id = patternCount++;
        if (!fires) return;
        if (m.requires && m.anchors) requiredWords.set(id, m.requires);
        if (!m.anchors) unanchored.push({ rule: index, pattern });
        for (const a of m.anchors ?? []) {
          const uses = anchorUses.get(a.text) ?? [];
          uses.push({ rule: index, pattern, id, min: a.min, max: a.max });
          anchorUses.set(a.text, uses);
        }
      });
      rules.push({
        spec,
        usesClauses: Boolean(spec.when || u?.act || u?.subject || u?.alternative || u?.hedged || u?.help),
        classifier,
        ...text,
      });
    }
  }
  const dictionary = (options.dictionary ?? []).map((entry) => {
    const [word = '', tag] = entry.trim().split(/\s+/);
    return tag ? `${canonical(word)} ${tag}` : canonical(word);
  });
  const required = new Set<string>();
  for (const groups of requiredWords.values()) for (const g of groups) for (const w of g) required.add(w);
  // A word only some pattern requires starts nothing: the index records that it occurs, without a visit.
  const quiet = new Set([...required].filter((w) => !phraseRules.has(w) && !anchorUses.has(w)));
  const keywords = new KeywordIndex([...phraseRules.keys(), ...anchorUses.keys(), ...required], quiet);
  const keywordId = new Map(keywords.keywords.map((k, id) => [k, id]));
  const requires: (readonly (readonly number[])[] | undefined)[] = new Array(patternCount);
  for (const [id, groups] of requiredWords) requires[id] = groups.map((g) => g.map((w) => keywordId.get(w)!));
  return {
    rules,
    phraseRules,
    keywords,
    // A quiet word is never visited: one shared empty entry for all of them.
    keywordEntries: keywords.keywords.map((k) => (phraseRules.has(k) || anchorUses.has(k) ? { phraseRules: phraseRules.get(k) ?? NONE, uses: anchorUses.get(k) ?? NONE } : NOTHING_STARTS)),
    patternCount,
    requires,
    off,
    unanchored,
    sequenceRules,
    classifierRules,
    words: [...new Set([...phraseRules.keys(), ...extraWords].filter((w) => w.length > 1)), ...dictionary],
    unseenWords: [...[...unseenWords].filter((w) => w.length > 1), ...dictionary],
  };
}
