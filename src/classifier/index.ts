import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
  readonly weights: Float32Array;
}

// All loaded models share one feature → slot index, so a reply's features are looked up once for all of
// them (three categories score every reply), and loading a model adds only the n-grams not seen yet.
// Scoring runs on every agent turn of an audit, so n-grams of BMP characters are numbers, not strings:
// no slicing, no string hashing (see NgramTable). N-grams with an astral character keep string keys.
/** How many feature slots the loaded models use between them. */
let slotCount = 0;
const astralSlots = new Map<string, number>();

/**
 * Open-addressing hash table from numeric n-gram keys to integers. An n-gram of BMP code units c0 c1 c2
 * is the number with base-65537 digits c0+1, c1+1, c2+1: distinct for distinct n-grams of any length up
 * to 3, and exact in a double (65537³ < 2⁵³).
 */
class NgramTable {
  private keys: Float64Array;
  private values: Int32Array;
  private stamps: Int32Array;
  private hashes: Int32Array;
  private mask: number;
  /** Entries whose stamp is not `stamp` are empty: clearing is `stamp++`. */
  private stamp = 1;
  size = 0;
  /**
   * For lookup(): one bit per value of a hash's top FILTER_BITS bits, set for every key stored. Most of a
   * reply's n-grams are in no model; a clear bit says so from 32 KB that stay in the processor's cache,
   * without probing the keys (a miss probes ~4 entries of a table filled to 62%).
   */
  private filter: Int32Array | undefined;

  /**
   * `capacity`: a power of two. `maxLoad`: the share of it filled before it grows (half by default; the
   * models' table fills three quarters: read for every n-gram of every reply, it is worth keeping small
   * enough to stay in the processor's cache, and its probes are adjacent).
   */
  constructor(
    capacity: number,
    private readonly maxLoad = 0.5,
    filtered = false,
  ) {
    if (filtered) this.filter = new Int32Array(1 << (FILTER_BITS - 5));
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
    this.stamps = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  clear(): void {
    this.size = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** The value stored under `key`, or -1. */
  get(key: number, hash: number): number {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      if (this.stamps[i] !== this.stamp) return -1;
      if (this.keys[i] === key) return this.values[i]!;
    }
  }

  /**
   * get() for a table that is never cleared (the models' slots): an entry is empty when its key is 0, as
   * no n-gram's key is. One array read for an n-gram no model knows (most of a reply's), not two: the
   * scan of every reply an audit lints looks each n-gram up here.
   */
  lookup(key: number, hash: number): number {
    const filter = this.filter;
    if (filter) {
      const bit = hash >>> (32 - FILTER_BITS);
      if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return -1;
    }
    const keys = this.keys;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return -1;
    }
  }

  /** Stores `value` under `key` unless the key is there already; true if it was new. */
  add(key: number, hash: number, value: number): boolean {
    if (this.size + 1 > this.keys.length * this.maxLoad) this.grow();
    let i = hash & this.mask;
    for (; this.stamps[i] === this.stamp; i = (i + 1) & this.mask) if (this.keys[i] === key) return false;
    this.stamps[i] = this.stamp;
    if (this.filter) this.addToFilter(hash);
    this.hashes[i] = hash;
    this.keys[i] = key;
    this.values[i] = value;
    this.size++;
    return true;
  }

  /** The table's arrays, for the prebuilt model state (modelCacheBytes); its filter, if it has one. */
  dump(): { keys: Float64Array; values: Int32Array; hashes: Int32Array; used: Uint8Array; filter?: Int32Array } {
    const used = new Uint8Array(this.keys.length);
    for (let i = 0; i < used.length; i++) used[i] = this.stamps[i] === this.stamp ? 1 : 0;
    return { keys: this.keys, values: this.values, hashes: this.hashes, used, filter: this.filter };
  }

  /**
   * Takes over arrays that dump() gave (of one power-of-two length), holding `size` entries, and the
   * filter it gave (stored, not rebuilt: a loop over the whole table, run once at start-up, is slow).
   */
  restore(keys: Float64Array, values: Int32Array, hashes: Int32Array, used: Uint8Array, size: number, filter: Int32Array): void {
    this.keys = keys;
    this.values = values;
    this.hashes = hashes;
    this.stamps = new Int32Array(used);
    this.stamp = 1;
    this.mask = keys.length - 1;
    this.size = size;
    if (this.filter) this.filter = filter;
  }

  private addToFilter(hash: number): void {
    const bit = hash >>> (32 - FILTER_BITS);
    this.filter![bit >>> 5]! |= 1 << (bit & 31);
  }

  private grow(): void {
    const { keys, values, stamps, hashes, stamp } = this;
    const length = keys.length * 2;
    this.hashes = new Int32Array(length);
    this.keys = new Float64Array(length);
    this.values = new Int32Array(length);
    this.stamps = new Int32Array(length);
    this.mask = length - 1;
    this.stamp = 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      if (stamps[i] === stamp) this.add(keys[i]!, hashes[i]!, values[i]!);
    }
  }
}

const BASE = 65537;

/** The models' table's filter: 2^18 bits (32 KB), ~8% of them set by the built-in models' 20,000 n-grams. */
const FILTER_BITS = 18;
const FILTER_BYTES = 1 << (FILTER_BITS - 3);

/**
 * A 32-bit hash of an n-gram from its code units plus one (0 where the n-gram is shorter): integer
 * arithmetic only, so the scan hashes as it goes (murmur3's finalizer spreads the bits).
 */
function hashOf(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of the n-gram last given to keyOf (no object per call: models have tens of thousands). */
let keyHash = 0;

/** The numeric key of an n-gram of up to three BMP code units (no surrogates), or -1; its hash in keyHash. */
function keyOf(ngram: string): number {
  if (ngram.length > 3) return -1;
  const d0 = ngram.length > 0 ? ngram.charCodeAt(0) + 1 : 0;
  const d1 = ngram.length > 1 ? ngram.charCodeAt(1) + 1 : 0;
  const d2 = ngram.length > 2 ? ngram.charCodeAt(2) + 1 : 0;
  const isSurrogate = (d: number) => d > 0xd800 && d <= 0xe000;
  if (isSurrogate(d0) || isSurrogate(d1) || isSurrogate(d2)) return -1;
  keyHash = hashOf(d0, d1, d2);
  return ngram.length === 3 ? (d0 * BASE + d1) * BASE + d2 : ngram.length === 2 ? d0 * BASE + d1 : d0;
}

// The models' table: filled to three quarters before it grows (see NgramTable).
const MODEL_TABLE_LOAD = 0.75;
// The three built-in models share ~20,000 n-grams: room for them without growing.
const modelSlots = new NgramTable(1 << 15, MODEL_TABLE_LOAD, true);

function slotOf(name: string): number {
  const key = keyOf(name);
  if (key >= 0) {
    const slot = modelSlots.get(key, keyHash);
    if (slot >= 0) return slot;
    modelSlots.add(key, keyHash, slotCount);
  } else {
    const slot = astralSlots.get(name);
    if (slot !== undefined) return slot;
    astralSlots.set(name, slotCount);
  }
  return slotCount++;
}

/** The slot of a feature, or -1 when no model has it. */
function slotOfFeature(name: string): number {
  const key = keyOf(name);
  return key >= 0 ? modelSlots.get(key, keyHash) : (astralSlots.get(name) ?? -1);
}

export function toModel(file: ClassifierModelFile): ClassifierModel {
  // The table is no longer the prebuilt one's: the cache cannot serve the models loaded after this.
  modelCache = null;
  if (file.version !== 2 || !Array.isArray(file.ngrams) || typeof file.bias !== 'number' || typeof file.features !== 'string' || typeof file.weights !== 'string') {
    throw new Error('not a huashu classifier model (version 2: ngrams, bias, features, weights); retrain with npm run train');
  }
  if (!file.ngrams.every((n) => n === 1 || n === 2 || n === 3)) throw new Error(`n-gram sizes ${JSON.stringify(file.ngrams)}: only 1, 2 and 3 are supported`);
  const names = file.features.split(' ');
  const bytes = Buffer.from(file.weights, 'base64');
  if (bytes.length !== names.length * 4) throw new Error(`model has ${names.length} features but ${bytes.length / 4} weights`);
  const slotsOfNames = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) slotsOfNames[i] = slotOf(names[i]!);
  const weights = new Float32Array(slotCount);
  for (let i = 0; i < names.length; i++) weights[slotsOfNames[i]!] = bytes.readFloatLE(i * 4);
  return { category: file.category, ngrams: file.ngrams, bias: file.bias, weights };
}

// Punctuation and spaces separate n-grams: 送到。我 is not a feature, 送到 and 我 are.
const SEPARATOR = /[\s\p{P}\p{S}]+/gu;
const SEPARATOR_CHAR = /^[\s\p{P}\p{S}]$/u;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * What a BMP code unit is for the n-gram scan: 1 a separator, 2 a surrogate, 3 anything else; 0 not
 * looked at yet. Filled in as characters are met (a regex test each), not all 65,536 at start-up.
 */
const UNIT_KINDS = new Uint8Array(0x10000);

function unitKind(c: number): number {
  let kind = UNIT_KINDS[c]!;
  if (kind === 0) {
    kind = c >= 0xd800 && c <= 0xdfff ? 2 : SEPARATOR_CHAR.test(String.fromCharCode(c)) ? 1 : 3;
    UNIT_KINDS[c] = kind;
  }
  return kind;
}

/** The distinct n-gram features of (already normalized) text: the definition the models are trained on. */
export function features(text: string, ngrams: readonly number[]): ReadonlySet<string> {
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
  for (let i = 0; i < text.length; i++) {
    const kind = unitKind(text.charCodeAt(i));
    if (kind === 3) {
      if (++n >= MIN_SCORED_CHARS) return true;
    } else if (kind === 2) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (!SEPARATOR_CHAR.test(String.fromCodePoint(cp)) && ++n >= MIN_SCORED_CHARS) return true;
    }
  }
  return false;
}

/** The features of the last text scored: every category's model scores the same reply in turn. */
interface Scored {
  text: string;
  ngrams: readonly number[];
  /** How many distinct features the text has, known to a model or not. */
  count: number;
  /** How many of them some model knows: their slots are foundSlots[0 … known). */
  known: number;
}
let last: Scored | undefined;
// One reply's n-grams seen so far, and the slots of those a model knows: module state reused by every
// scan (a scan runs for every reply of an audit, and allocating here was a good share of its garbage).
const seen = new NgramTable(1 << 10);
let foundSlots = new Int32Array(1 << 10);
let foundCount = 0;

function foundSlot(slot: number): void {
  if (foundCount === foundSlots.length) {
    const grown = new Int32Array(foundSlots.length * 2);
    grown.set(foundSlots);
    foundSlots = grown;
  }
  foundSlots[foundCount++] = slot;
}

function addFeature(key: number, hash: number): void {
  if (!seen.add(key, hash, 0)) return;
  const slot = modelSlots.lookup(key, hash);
  if (slot >= 0) foundSlot(slot);
}

function sameNgrams(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Distinct n-grams of `text` (what `features` gives), counted and looked up without making strings. */
function scan(text: string, ngrams: readonly number[]): Scored {
  seen.clear();
  foundCount = 0;
  let astral: Set<string> | undefined;
  const uni = ngrams.includes(1);
  const bi = ngrams.includes(2);
  const tri = ngrams.includes(3);
  for (let start = 0; start < text.length; ) {
    // One piece: a run of code units that are not separators.
    while (start < text.length && unitKind(text.charCodeAt(start)) === 1) start++;
    let end = start;
    let surrogates = false;
    while (end < text.length) {
      const kind = unitKind(text.charCodeAt(end));
      if (kind === 1) break;
      if (kind === 2) {
        // An astral separator (a symbol such as an emoji) ends the piece too.
        const cp = text.codePointAt(end)!;
        if (cp > 0xffff && SEPARATOR_CHAR.test(String.fromCodePoint(cp))) break;
        surrogates = true;
        end += cp > 0xffff ? 2 : 1;
      } else end++;
    }
    if (end === start) {
      // An astral separator: skip it.
      if (start < text.length) start += text.codePointAt(start)! > 0xffff ? 2 : 1;
      continue;
    }
    if (!surrogates) {
      for (let i = start; i < end; i++) {
        const a = text.charCodeAt(i) + 1;
        const b = i + 1 < end ? text.charCodeAt(i + 1) + 1 : 0;
        const c = i + 2 < end ? text.charCodeAt(i + 2) + 1 : 0;
        if (uni) addFeature(a, hashOf(a, 0, 0));
        if (bi && b) addFeature(a * BASE + b, hashOf(a, b, 0));
        if (tri && c) addFeature((a * BASE + b) * BASE + c, hashOf(a, b, c));
      }
    } else {
      // Characters, not code units: the slow path of `features`, rare in replies (emoji are separators).
      const chars = [...text.slice(start, end)];
      for (const n of ngrams) {
        for (let i = 0; i + n <= chars.length; i++) {
          const gram = chars.slice(i, i + n).join('');
          const key = keyOf(gram);
          if (key >= 0) addFeature(key, keyHash);
          else if (!(astral ??= new Set()).has(gram)) {
            astral.add(gram);
            const slot = astralSlots.get(gram);
            if (slot !== undefined) foundSlot(slot);
          }
        }
      }
    }
    start = end;
  }
  return { text, ngrams, count: seen.size + (astral?.size ?? 0), known: foundCount };
}

/** Probability that `text` (normalized) belongs to the model's category. */
export function score(model: ClassifierModel, text: string): number {
  if (!last || last.text !== text || !sameNgrams(last.ngrams, model.ngrams)) last = scan(text, model.ngrams);
  if (last.count === 0) return 0;
  // Each feature counts 1/sqrt(n): a long reply does not score high just for having many n-grams,
  // nor a three-character one for having few.
  let sum = 0;
  const w = model.weights;
  // A model loaded before others has no weight for their n-grams' slots (past its end): 0.
  const slots = w.length;
  for (let i = 0; i < last.known; i++) {
    const slot = foundSlots[i]!;
    if (slot < slots) sum += w[slot]!;
  }
  return 1 / (1 + Math.exp(-(model.bias + sum / Math.sqrt(last.count))));
}

/** The same probability from `features`, the definition the models are trained on (for tests). */
export function referenceScore(model: ClassifierModel, text: string): number {
  const fs = features(text, model.ngrams);
  if (fs.size === 0) return 0;
  let sum = 0;
  for (const f of fs) sum += model.weights[slotOfFeature(f)] ?? 0;
  return 1 / (1 + Math.exp(-(model.bias + sum / Math.sqrt(fs.size))));
}

/**
 * The stretch of `text` (at least `minLength` code units) whose n-grams push the score up the most:
 * each n-gram's weight is spread over its characters and the best-scoring run is taken (a maximum
 * subarray). A finding points there, so the agent sees which words the model objects to, not a whole
 * sentence. Undefined when nothing in the text pushes the score up.
 */
export function strongestSpan(model: ClassifierModel, text: string, minLength = 2): { start: number; end: number } | undefined {
  const weight = new Float64Array(text.length);
  for (const n of model.ngrams) {
    for (let i = 0; i + n <= text.length; i++) {
      const gram = text.slice(i, i + n);
      if (SEPARATOR_CHAR.test(gram[0]!) || SEPARATOR_CHAR.test(gram[n - 1]!) || /[\s\p{P}\p{S}]/u.test(gram)) continue;
      const w = model.weights[slotOfFeature(gram)] ?? 0;
      for (let k = i; k < i + n; k++) weight[k]! += w / n;
    }
  }
  let best: { start: number; end: number; sum: number } | undefined;
  let start = 0;
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    if (sum <= 0) {
      start = i;
      sum = 0;
    }
    sum += weight[i]!;
    if (sum > 0 && i + 1 - start >= minLength && (!best || sum > best.sum)) best = { start, end: i + 1, sum };
  }
  return best && { start: best.start, end: best.end };
}

/** The features that pushed the score up the most (for --debug and explain). */
export function strongestFeatures(model: ClassifierModel, text: string, count = 3): string[] {
  return [...features(text, model.ngrams)]
    .map((f) => [f, model.weights[slotOfFeature(f)] ?? 0] as const)
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
    .slice(0, count)
    .map(([f]) => f);
}

const loaded = new Map<string, ClassifierModel>();

// The prebuilt model state (dist/dict/models.bin, scripts/build-model-cache.mjs): the shared slot table
// with its filter, and every model's weights as they stand after loading the built-in models in the order
// the built-in rules load them. Building that table from the JSON files is ~50 ms of a one-draft run (tens of
// thousands of n-grams split, hashed and inserted by code not yet optimized); restoring it is ~2 ms.
// It serves a prefix of the models loaded, each one checked against a copy of its file's bytes kept in the
// cache (compared in full: cheaper at start-up than loading node:crypto to hash them), so an edited or
// retrained model, or another order, simply loads the slow way from then on.
export const MODEL_CACHE_FILE = fileURLToPath(new URL('../../dist/dict/models.bin', import.meta.url));
const MODEL_CACHE_VERSION = 3;

interface CachedModel {
  /** The length of the model file, whose bytes follow the weights. */
  sourceBytes: number;
  category: string;
  ngrams: number[];
  bias: number;
  /** Slots in use once this model was loaded: its weights, float32, one per slot. */
  slots: number;
}
interface ModelCacheHeader {
  version: number;
  capacity: number;
  /** Entries in the table. */
  entries: number;
  slots: number;
  astral: [string, number][];
  models: CachedModel[];
}
// The file: a uint32 header length, the header (JSON), then 8-byte aligned: the table's keys (float64),
// values and hashes (int32) and used flags (uint8), each `capacity` long; each model's weights; each
// model file's bytes.
export interface ModelCache {
  header: ModelCacheHeader;
  bytes: Buffer;
  /** Where each model's weights start in `bytes`. */
  offsets: number[];
  /** Where each model file's bytes start in `bytes`. */
  sources: number[];
  /** Where the table's arrays start. */
  tableAt: number;
}

/** undefined: not read yet; null: none, damaged, or no longer usable (a model was loaded the slow way). */
let modelCache: ModelCache | null | undefined;
/** Models taken from the cache so far (they are its first ones, in order). */
let fromCache = 0;

const align8 = (n: number) => (n + 7) & ~7;

/** How many of the models loaded so far came from the prebuilt state. */
export const modelsFromCache = (): number => fromCache;

const prebuilt = new WeakSet<ClassifierModel>();

/** Did this model come from the prebuilt state (its file unchanged since the build)? */
export const isPrebuiltModel = (model: ClassifierModel): boolean => prebuilt.has(model);

/** Does the header describe a table this code can use (a power-of-two capacity, models in load order)? */
function plausible(h: ModelCacheHeader): boolean {
  const { capacity, entries, slots, models } = h;
  if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0 || !(entries >= 0 && entries <= capacity * MODEL_TABLE_LOAD)) return false;
  if (!Array.isArray(h.astral) || !Array.isArray(models) || models.length === 0) return false;
  let before = 0;
  for (const m of models) {
    if (!Number.isInteger(m.sourceBytes) || m.sourceBytes < 0 || !Number.isInteger(m.slots) || m.slots < before || m.slots > slots) return false;
    before = m.slots;
  }
  return before === slots;
}

/** The prebuilt state in `file`, or null where there is none or it is damaged or of another version. */
export function readModelCache(file = MODEL_CACHE_FILE): ModelCache | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    const length = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.toString('utf8', 4, 4 + length)) as ModelCacheHeader;
    if (header.version !== MODEL_CACHE_VERSION || !plausible(header)) return null;
    const tableAt = align8(4 + length);
    let at = align8(tableAt + header.capacity * (8 + 4 + 4 + 1)) + FILTER_BYTES;
    const offsets: number[] = [];
    for (const m of header.models) {
      at = align8(at);
      offsets.push(at);
      at += m.slots * 4;
    }
    const sources: number[] = [];
    for (const m of header.models) {
      sources.push(at);
      at += m.sourceBytes;
    }
    // A short or damaged file is a miss, never an error.
    if (at !== bytes.length) return null;
    // The typed arrays are views of the file's bytes, which must then start on an 8-byte boundary.
    if (bytes.byteOffset % 8 !== 0) bytes = Buffer.from(new Uint8Array(bytes).buffer);
    return { header, bytes, offsets, sources, tableAt };
  } catch {
    return null;
  }
}

/** The model in `bytes` (a model file), if it is the cache's next one; restores the table at the first. */
function cachedModel(bytes: Uint8Array): ClassifierModel | undefined {
  if (modelCache === undefined) modelCache = slotCount === 0 ? readModelCache() : null;
  if (!modelCache) return undefined;
  const { header, bytes: cache, offsets, sources, tableAt } = modelCache;
  const m = header.models[fromCache];
  const source = sources[fromCache]!;
  if (!m || m.sourceBytes !== bytes.length || Buffer.compare(cache.subarray(source, source + m.sourceBytes), bytes) !== 0) {
    modelCache = null;
    return undefined;
  }
  const buffer = cache.buffer;
  if (fromCache === 0) {
    const n = header.capacity;
    let at = cache.byteOffset + tableAt;
    const keys = new Float64Array(buffer, at, n);
    const values = new Int32Array(buffer, (at += n * 8), n);
    const hashes = new Int32Array(buffer, (at += n * 4), n);
    const used = new Uint8Array(buffer, (at += n * 4), n);
    const filter = new Int32Array(buffer, align8(at + n), FILTER_BYTES / 4);
    modelSlots.restore(keys, values, hashes, used, header.entries, filter);
    for (const [name, slot] of header.astral) astralSlots.set(name, slot);
    // The table holds the slots of every cached model: a model loaded the slow way gets new ones after
    // them, and a model's weights past its own count read as 0.
    slotCount = header.slots;
  }
  fromCache++;
  // A view of the file's bytes: float32, as the model files store them (summed in float64 all the same).
  const weights = new Float32Array(buffer, cache.byteOffset + offsets[fromCache - 1]!, m.slots);
  const model = { category: m.category, ngrams: m.ngrams, bias: m.bias, weights };
  prebuilt.add(model);
  return model;
}

/** The models loaded the slow way, in order (for modelCacheBytes). */
const loadedModels: { bytes: Buffer; model: ClassifierModel }[] = [];

/** The prebuilt state (MODEL_CACHE_FILE) of the models loaded so far, all of them the slow way. */
export function modelCacheBytes(): Buffer {
  if (fromCache > 0) throw new Error('the model cache is written from models loaded the slow way, all of them');
  const table = modelSlots.dump();
  const capacity = table.keys.length;
  const header: ModelCacheHeader = {
    version: MODEL_CACHE_VERSION,
    capacity,
    entries: modelSlots.size,
    slots: slotCount,
    astral: [...astralSlots],
    models: loadedModels.map((m) => ({ sourceBytes: m.bytes.length, category: m.model.category, ngrams: [...m.model.ngrams], bias: m.model.bias, slots: m.model.weights.length })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const parts: Uint8Array[] = [length, json];
  let at = 4 + json.length;
  const put = (b: ArrayBufferView) => {
    const pad = align8(at) - at;
    parts.push(Buffer.alloc(pad), new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    at += pad + b.byteLength;
  };
  put(table.keys);
  parts.push(new Uint8Array(table.values.buffer), new Uint8Array(table.hashes.buffer), table.used);
  at += capacity * 9;
  put(table.filter!);
  for (const m of loadedModels) put(m.model.weights);
  for (const m of loadedModels) parts.push(m.bytes);
  return Buffer.concat(parts);
}

/** Read (once per process) the model file at an absolute path. Throws with a one-line reason. */
export function loadModelFile(path: string): ClassifierModel {
  let model = loaded.get(path);
  if (!model) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`cannot read classifier model ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    model = cachedModel(bytes);
    if (!model) {
      try {
        model = toModel(JSON.parse(bytes.toString('utf8')) as ClassifierModelFile);
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
      loadedModels.push({ bytes, model });
    }
    loaded.set(path, model);
  }
  return model;
}
