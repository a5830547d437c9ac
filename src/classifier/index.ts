import { readFileSync } from 'node:fs';

// A small logistic-regression classifier over character n-grams of the normalized text: the safety net
// for wordings no pattern anticipates (blame and refusals come in endless shapes). It only speaks where
// no rule of its category has (see engine/lint.ts), at a threshold set for precision, and its model is a
// plain JSON file trained by scripts/train-classifier.mjs from the labeled drafts in fixtures/labeled/.

/**
 * The JSON file a `kind: classifier` rule names (rules/models/*.json). Version 2 keeps start-up cheap:
 * the n-grams are one string joined by spaces (no n-gram holds one) and the weights one base64 Float32Array in the same order,
 * rather than an object with thousands of keys (parsing that was most of the model's load time).
 */
export interface ClassifierModelFile {
  version: 2;
  category: string;
  /** n-gram sizes used as features, e.g. [1, 2, 3] */
  ngrams: number[];
  bias: number;
  /** The n-grams with a weight, joined by spaces. */
  features: string;
  /** Their weights: little-endian float32, base64. */
  weights: string;
  /** How the model was trained: files, examples, epochs (documentation only). */
  trainedOn?: unknown;
}

export interface ClassifierModel {
  readonly category: string;
  readonly ngrams: readonly number[];
  readonly bias: number;
  /** Weight of each feature slot (see `slots`); a slot the model has no weight for reads as 0. */
  readonly weights: Float64Array;
}

// All loaded models share one feature → slot index, so a reply's features are looked up once for all of
// them (three categories score every reply), and loading a model adds only the n-grams not seen yet.
const slots = new Map<string, number>();
const slotNames: string[] = [];

function slotOf(name: string): number {
  let slot = slots.get(name);
  if (slot === undefined) {
    slot = slotNames.length;
    slots.set(name, slot);
    slotNames.push(name);
  }
  return slot;
}

export function toModel(file: ClassifierModelFile): ClassifierModel {
  if (file.version !== 2 || !Array.isArray(file.ngrams) || typeof file.bias !== 'number' || typeof file.features !== 'string' || typeof file.weights !== 'string') {
    throw new Error('not a huashu classifier model (version 2: ngrams, bias, features, weights); retrain with npm run train');
  }
  const names = file.features.split(' ');
  const bytes = Buffer.from(file.weights, 'base64');
  if (bytes.length !== names.length * 4) throw new Error(`model has ${names.length} features but ${bytes.length / 4} weights`);
  const pairs: [number, number][] = names.map((name, i) => [slotOf(name), bytes.readFloatLE(i * 4)]);
  const weights = new Float64Array(slotNames.length);
  for (const [slot, w] of pairs) weights[slot] = w;
  return { category: file.category, ngrams: file.ngrams, bias: file.bias, weights };
}

// Punctuation and spaces separate n-grams: 送到。我 is not a feature, 送到 and 我 are.
const SEPARATOR = /[\s\p{P}\p{S}]+/gu;

const SURROGATE = /[\uD800-\uDFFF]/;

// Every category's model scores the same reply in turn: its features are computed once (read-only set).
let last: { text: string; ngrams: readonly number[]; features: ReadonlySet<string>; slots?: Int32Array } | undefined;

/** The distinct n-gram features of (already normalized) text. */
export function features(text: string, ngrams: readonly number[]): ReadonlySet<string> {
  if (last && last.text === text && (last.ngrams === ngrams || last.ngrams.join() === ngrams.join())) return last.features;
  const out = new Set<string>();
  for (const piece of text.split(SEPARATOR)) {
    if (!SURROGATE.test(piece)) {
      // One code unit per character: n-grams are plain slices.
      for (const n of ngrams) for (let i = 0; i + n <= piece.length; i++) out.add(piece.slice(i, i + n));
      continue;
    }
    const chars = [...piece];
    for (const n of ngrams) {
      for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
    }
  }
  last = { text, ngrams, features: out };
  return out;
}

/** Replies shorter than this (letters and Han characters, not punctuation) are not scored: a greeting or
 * 好的 carries too little to judge, and short real chat turns were where the model erred. */
export const MIN_SCORED_CHARS = 8;

/** Lines longer than this are not one reply (a pasted export, a whole document): not scored. */
export const MAX_SCORED_CHARS = 2000;

/** Is `text` one reply's worth: long enough to judge, short enough to be a reply? */
export function scorable(text: string): boolean {
  if (text.length > MAX_SCORED_CHARS) return false;
  let n = 0;
  for (const ch of text) if (!/[\s\p{P}\p{S}]/u.test(ch) && ++n >= MIN_SCORED_CHARS) return true;
  return false;
}

/** Probability that `text` (normalized) belongs to the model's category. */
export function score(model: ClassifierModel, text: string): number {
  const fs = features(text, model.ngrams);
  if (fs.size === 0) return 0;
  // Each feature counts 1/sqrt(n): a long reply does not score high just for having many n-grams,
  // nor a three-character one for having few.
  // The slots of the reply's known features, found once per reply for every model.
  let known = last?.features === fs ? last.slots : undefined;
  if (!known) {
    const found: number[] = [];
    for (const f of fs) {
      const slot = slots.get(f);
      if (slot !== undefined) found.push(slot);
    }
    known = Int32Array.from(found);
    if (last?.features === fs) last.slots = known;
  }
  let sum = 0;
  const w = model.weights;
  for (let i = 0; i < known.length; i++) sum += w[known[i]!] ?? 0;
  return 1 / (1 + Math.exp(-(model.bias + sum / Math.sqrt(fs.size))));
}

/** The features that pushed the score up the most (for --debug and explain). */
export function strongestFeatures(model: ClassifierModel, text: string, count = 3): string[] {
  return [...features(text, model.ngrams)]
    .map((f) => [f, model.weights[slots.get(f) ?? -1] ?? 0] as const)
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
    .slice(0, count)
    .map(([f]) => f);
}

const loaded = new Map<string, ClassifierModel>();

/** Read (once per process) the model file at an absolute path. Throws with a one-line reason. */
export function loadModelFile(path: string): ClassifierModel {
  let model = loaded.get(path);
  if (!model) {
    let json: string;
    try {
      json = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`cannot read classifier model ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      model = toModel(JSON.parse(json) as ClassifierModelFile);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }
    loaded.set(path, model);
  }
  return model;
}
