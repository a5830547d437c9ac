// Anchors of a rule's regular expression: literal strings of which every match must contain one, at a
// bounded distance from the match start. With them the engine tries the expression only where it could
// match (engine/patterns.ts) instead of running it over the whole text, and a short draft never compiles
// an expression whose anchors it does not contain. Computed once per pattern source: at build time for the
// built-in packs (scripts/build-pack-cache.mjs stores them with each cached rule), at compile time for
// other packs.
//
// The analysis only ever claims what holds for every match: where it cannot tell (a negated class, an
// unbounded repeat before the anchor, a backreference…) it gives no anchors and the pattern runs as before.
import { createRequire } from 'node:module';
import type { AST, RegExpParser as Parser } from '@eslint-community/regexpp';

/** Every match has one of `texts` starting between `min` and `max` code units after the match start. */
export interface Anchor {
  text: string;
  min: number;
  max: number;
}

interface Info {
  /** Length in UTF-16 code units of what the node consumes. */
  min: number;
  max: number;
  /** Every string the node can consume, when there are few (lookarounds consume ''). */
  exact: string[] | null;
  anchors: Anchor[] | null;
}

/** Exact languages larger than this are not worth tracking. */
const MAX_STRINGS = 200;
/** Nor anchor sets (a long alternation of words is one anchor each). */
const MAX_ANCHORS = 400;
/** Character classes larger than this are not expanded. */
const MAX_CLASS = 64;

const unknown = (min = 0, max = Infinity): Info => ({ min, max, exact: null, anchors: null });
const oneOf = (strings: string[]): Info => ({
  min: Math.min(...strings.map((s) => s.length)),
  max: Math.max(...strings.map((s) => s.length)),
  exact: strings,
  anchors: strings.every((s) => s.length > 0) ? strings.map((text) => ({ text, min: 0, max: 0 })) : null,
});

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_STRINGS) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

/**
 * How often a word is expected per character of a reply: a given character about once in 30 (您: once in
 * 36), a given two-character word once in 9,000, and so on.
 */
const frequency = (word: string): number => 1 / (30 * 300 ** (word.length - 1));

/**
 * How many positions an anchor set is expected to make us try, per character of text, plus a little per
 * anchor (each is a word in the automaton built at start-up).
 */
function cost(anchors: readonly Anchor[]): number {
  let c = 0;
  for (const a of anchors) c += (a.max - a.min + 1) * frequency(a.text) + 0.002;
  return c;
}

const better = (a: Anchor[] | null, b: Anchor[] | null): Anchor[] | null => {
  const usable = (x: Anchor[] | null) => x !== null && x.every((y) => Number.isFinite(y.max));
  if (!usable(b)) return usable(a) ? a : null;
  if (!usable(a)) return b;
  return cost(b!) < cost(a!) ? b : a;
};

function shift(anchors: Anchor[] | null, min: number, max: number): Anchor[] | null {
  return anchors && anchors.map((a) => ({ text: a.text, min: a.min + min, max: a.max + max }));
}

function union(parts: Info[]): Info {
  let exact: string[] | null = [];
  let anchors: Anchor[] | null = [];
  for (const p of parts) {
    exact = exact && p.exact && exact.length + p.exact.length <= MAX_STRINGS ? [...new Set([...exact, ...p.exact])] : null;
    anchors = anchors && p.anchors && anchors.length + p.anchors.length <= MAX_ANCHORS ? [...anchors, ...p.anchors] : null;
  }
  const min = parts.length ? Math.min(...parts.map((p) => p.min)) : 0;
  const max = parts.length ? Math.max(...parts.map((p) => p.max)) : 0;
  if (exact && exact.length && exact.every((s) => s.length > 0)) anchors = better(anchors, oneOf(exact).anchors);
  return { min, max, exact, anchors };
}

function sequence(elements: readonly AST.Element[]): Info {
  const infos = elements.map(element);
  let min = 0;
  let max = 0;
  let anchors: Anchor[] | null = null;
  for (let j = 0; j < infos.length; j++) {
    // An anchor of the element itself, after everything before it.
    anchors = better(anchors, shift(infos[j]!.anchors, min, max));
    // A run of elements with exact languages from here: their concatenations, longer and so rarer.
    let run: string[] | null = infos[j]!.exact;
    for (let k = j + 1; run && k < infos.length && infos[k]!.exact; k++) {
      const longer = product(run, infos[k]!.exact!);
      if (!longer) break;
      run = longer;
      if (run.every((s) => s.length > 0)) anchors = better(anchors, shift(oneOf(run).anchors, min, max));
    }
    if (run && run.length && run.every((s) => s.length > 0)) anchors = better(anchors, shift(oneOf(run).anchors, min, max));
    min += infos[j]!.min;
    max += infos[j]!.max;
  }
  let exact: string[] | null = [''];
  for (const info of infos) exact = exact && info.exact ? product(exact, info.exact) : null;
  return { min, max, exact, anchors };
}

function characterClass(node: AST.CharacterClass): Info {
  if (node.negate || node.unicodeSets) return unknown(1, 2);
  const chars: string[] = [];
  for (const e of node.elements) {
    if (e.type === 'Character') chars.push(String.fromCodePoint(e.value));
    else if (e.type === 'CharacterClassRange' && e.max.value - e.min.value < MAX_CLASS) {
      for (let cp = e.min.value; cp <= e.max.value; cp++) chars.push(String.fromCodePoint(cp));
    } else return unknown(1, 2);
    if (chars.length > MAX_CLASS) return unknown(1, 2);
  }
  return chars.length ? oneOf([...new Set(chars)]) : unknown(1, 2);
}

function element(node: AST.Element): Info {
  switch (node.type) {
    case 'Character':
      return oneOf([String.fromCodePoint(node.value)]);
    case 'CharacterClass':
      return characterClass(node);
    case 'CharacterSet':
      return unknown(1, 2); // ., \d, \s, \w, \p{…}: one code point, one or two code units
    case 'Assertion':
      return { min: 0, max: 0, exact: [''], anchors: null }; // consumes nothing
    case 'Group':
    case 'CapturingGroup':
      return union(node.alternatives.map((a) => sequence(a.elements)));
    case 'Quantifier': {
      const inner = element(node.element);
      const max = node.max === Infinity || inner.max === Infinity ? Infinity : node.max * inner.max;
      let exact: string[] | null = null;
      if (inner.exact && Number.isFinite(node.max) && node.max <= 8) {
        let power: string[] | null = [''];
        exact = node.min === 0 ? [''] : [];
        for (let k = 1; power && exact && k <= node.max; k++) {
          power = product(power, inner.exact);
          if (power && k >= node.min) exact = exact.length + power.length <= MAX_STRINGS ? [...new Set([...exact, ...power])] : null;
        }
        if (!power) exact = null;
      }
      return { min: node.min * inner.min, max, exact, anchors: node.min >= 1 ? inner.anchors : null };
    }
    default:
      return unknown(); // backreferences and anything newer: no claim
  }
}

let parser: Parser | undefined;

/** The expression's syntax tree, or undefined when it is not a valid one. */
function parse(source: string, flags: string): AST.Pattern | undefined {
  try {
    // Loaded on first use: the built-in packs' anchors and requirements were computed at build time.
    parser ??= new (createRequire(import.meta.url)('@eslint-community/regexpp') as typeof import('@eslint-community/regexpp')).RegExpParser({ ecmaVersion: 2025 });
    return parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch {
    return undefined;
  }
}

/** The anchors of a regular expression (source and flags as given to RegExp), or null when there are none. */
export function patternAnchors(source: string, flags: string): Anchor[] | null {
  // Case-insensitive or set-notation expressions match more than their literal text says.
  if (/[iv]/.test(flags)) return null;
  const pattern = parse(source, flags);
  if (!pattern) return null;
  const info = union(pattern.alternatives.map((a) => sequence(a.elements)));
  const anchors = info.anchors;
  if (!anchors || anchors.length === 0 || !anchors.every((a) => a.text.length > 0 && Number.isFinite(a.max))) return null;
  // One entry per string, its widest window.
  const byText = new Map<string, Anchor>();
  for (const a of anchors) {
    const seen = byText.get(a.text);
    byText.set(a.text, seen ? { text: a.text, min: Math.min(seen.min, a.min), max: Math.max(seen.max, a.max) } : { ...a });
  }
  return [...byText.values()];
}

/** How often one of `texts` is expected per character of a reply. */
function rarity(texts: readonly string[]): number {
  let r = 0;
  for (const t of texts) r += frequency(t);
  return r;
}

/** A requirement is kept when it is rarer than four single characters (the estimate is a coarse one). */
const RARE_ENOUGH = 0.14;
/** Nor a very long list of words (each costs the keyword index, and the pack cache, a word). */
const MAX_REQUIRED = 100;

/**
 * Words every match needs besides its anchors: for an expression that is one sequence, the elements it
 * cannot match without, each as the set of strings one of which it always contains (they may be
 * anywhere in the text, so only their presence is used). At most the three rarest, and only those rare
 * enough to spare the expression most replies. A reply without one of a requirement's words cannot
 * match: the engine does not run the expression there (engine/lint.ts). Empty when there is none.
 */
export function patternRequirements(source: string, flags: string, anchors: readonly Anchor[] | null): string[][] {
  if (/[iv]/.test(flags) || !anchors) return [];
  const pattern = parse(source, flags);
  if (!pattern || pattern.alternatives.length !== 1) return [];
  const anchorTexts = new Set(anchors.map((a) => a.text));
  const groups: string[][] = [];
  for (const info of pattern.alternatives[0]!.elements.map(element)) {
    if (!info.anchors || info.anchors.length === 0) continue;
    const texts = [...new Set(info.anchors.map((a) => a.text))];
    // Implied by the anchors (不会 where every anchor is 不会再…): nothing to check.
    if (texts.every((t) => anchorTexts.has(t)) || anchors.every((a) => texts.some((t) => a.text.includes(t)))) continue;
    if (rarity(texts) >= RARE_ENOUGH || texts.length > MAX_REQUIRED) continue;
    groups.push(texts);
  }
  return groups.sort((a, b) => rarity(a) - rarity(b)).slice(0, 3);
}

// One analysis per source and flags: the same expression may be in several rules or packs.
const analysed = new Map<string, { anchors: Anchor[] | null; requires?: string[][] }>();

function analysisOf(source: string, flags: string): { anchors: Anchor[] | null; requires?: string[][] } {
  const key = `${flags}\u0000${source}`;
  let a = analysed.get(key);
  if (!a) analysed.set(key, (a = { anchors: patternAnchors(source, flags) }));
  return a;
}

/** patternAnchors, once per source and flags. */
export function anchorsFor(source: string, flags: string): Anchor[] | null {
  return analysisOf(source, flags).anchors;
}

/** patternRequirements (of the expression's own anchors), once per source and flags. */
export function requirementsFor(source: string, flags: string): string[][] {
  const a = analysisOf(source, flags);
  return (a.requires ??= patternRequirements(source, flags, a.anchors));
}

/**
 * Anchors as a cached built-in rule stores them (RuleSpec.precomputed): flat, [text, min, max, text, …],
 * since ~1000 small objects in JSON cost start-up more than the arrays do.
 */
export type FlatAnchors = (string | number)[] | null;

export function flattenAnchors(anchors: readonly Anchor[] | null): FlatAnchors {
  return anchors && anchors.flatMap((a) => [a.text, a.min, a.max]);
}

export function unflattenAnchors(flat: FlatAnchors): Anchor[] | null {
  if (!flat) return null;
  const anchors: Anchor[] = [];
  for (let i = 0; i < flat.length; i += 3) anchors.push({ text: flat[i] as string, min: flat[i + 1] as number, max: flat[i + 2] as number });
  return anchors;
}
