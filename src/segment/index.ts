// Word segmentation with jieba (nodejieba), loaded once per process and only when a rule actually needs
// token boundaries: a clean draft never pays for it. We load a trimmed dictionary built at install time
// (scripts/build-dict.mjs: jieba's 30,000 most frequent words and those of the next 30,000 that cross a rule
// phrase) instead of the full one: ~60 ms instead of ~0.9 s.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addCrossingWords } from './crossing.js';
import { crossingWords } from './crossing-words.js';
import { SegmenterError, segmenterProblem } from './binding.js';

interface Jieba {
  load(options: { dict?: string; hmmDict?: string; userDict?: string; idfDict?: string; stopWordDict?: string }): void;
  cut(sentence: string, hmm?: boolean): string[];
  insertWord(word: string, tag?: string): boolean;
  tag(sentence: string): { word: string; tag: string }[];
  DEFAULT_HMM_DICT: string;
}

let jieba: Jieba | undefined;
const inserted = new Set<string>();
const pending = new Set<string>();
/** Word arrays added already, whole (a rule set's `words` never changes once compiled). */
const addedLists = new WeakSet<readonly string[]>();

const dictDir = fileURLToPath(new URL('../../dist/dict/', import.meta.url));

function load(): Jieba {
  const require = createRequire(import.meta.url);
  let j: Jieba;
  try {
    j = require('nodejieba') as Jieba;
  } catch (e) {
    throw new SegmenterError(`huashu: ${segmenterProblem() ?? `the word segmenter nodejieba does not load (${(e as Error).message})`}`);
  }
  const small = dictDir + 'jieba.small.utf8';
  if (existsSync(small)) {
    j.load({
      dict: small,
      hmmDict: j.DEFAULT_HMM_DICT,
      userDict: dictDir + 'user.empty.utf8',
      idfDict: dictDir + 'idf.empty.utf8',
      stopWordDict: dictDir + 'stop.empty.utf8',
    });
  } else {
    // Running from source without a build: fall back to jieba's own (slower) dictionaries.
    j.load({});
  }
  return j;
}

/**
 * Words that must stay one token (rule phrases, the user's dictionary): `word`, or `word tag` to give it
 * a part-of-speech tag. Cheap until segmentation is used.
 */
export function addWords(words: Iterable<string>, unseen: readonly string[] = []): void {
  // The engine passes its rule set's (frozen) word list for every reply with a candidate: once is enough.
  if (Array.isArray(words)) {
    if (addedLists.has(words)) return;
    addedLists.add(words);
  }
  const fresh: string[] = [];
  const add = (w: string) => {
    if (w && !inserted.has(w) && !pending.has(w)) {
      pending.add(w);
      fresh.push(w);
    }
  };
  for (const w of words) add(w);
  for (const w of leftOutCrossing(unseen)) add(w);
  // (a dictionary entry may carry a tag: `word tag`; the word is what crosses)
  addCrossingWords(fresh.map((w) => w.split(' ')[0]!));
}

/** jieba's words ranked 30,001–60,000 that the trimmed dictionary left out (scripts/build-dict.mjs), a line each. */
let leftOut: string | null | undefined;
/** Words whose left-out crossing words were looked for already. */
const soughtCrossing = new Set<string>();

function readLeftOut(): string | null {
  try {
    return readFileSync(dictDir + 'jieba.more.utf8', 'utf8');
  } catch {
    return null; // not built: jieba's own dictionary is loaded whole
  }
}

/**
 * The trimmed dictionary keeps the words that cross a built-in rule phrase. Words the build did not see (a
 * team pack's phrases, a config's dictionary: RuleSet.unseenWords) get theirs here, from the words it left
 * out, as `word tag` entries: added to jieba and to the crossing words (segment/crossing.ts), so that a
 * phrase does not fire inside a compound jieba's larger dictionary keeps whole (a team's 价格 inside
 * 价格战). Only the left-out words that hold a word's first or last character are looked at.
 */
function leftOutCrossing(words: readonly string[]): string[] {
  const unseen: string[] = [];
  const edges = new Set<string>();
  for (const w of words) {
    const word = w.split(' ')[0]!;
    if (word.length < 2 || soughtCrossing.has(word)) continue;
    soughtCrossing.add(word);
    unseen.push(word);
    const chars = [...word];
    edges.add(chars[0]!).add(chars[chars.length - 1]!);
  }
  if (unseen.length === 0) return [];
  leftOut ??= readLeftOut();
  if (!leftOut) return [];
  // The lines (word frequency tag) whose word holds an edge character, found by one scan of the file.
  const edge = [...edges].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('');
  const tags = new Map<string, string>();
  for (const m of leftOut.matchAll(new RegExp(`^([^ \\n]*[${edge}][^ \\n]*) \\S+ (\\S+)$`, 'gmu'))) tags.set(m[1]!, m[2]!);
  const { start, end } = crossingWords(unseen, tags.keys());
  const out = new Set<string>();
  for (const list of [...Object.values(start), ...Object.values(end)]) for (const [word] of list) out.add(`${word} ${tags.get(word)!}`);
  return [...out];
}

function segmenter(): Jieba {
  jieba ??= load();
  if (pending.size > 0) {
    for (const w of pending) {
      const [word = w, tag] = w.split(' ');
      if (tag) jieba.insertWord(word, tag);
      else {
        // A word jieba already knows keeps its part-of-speech tag (inserting it again would make it 'x').
        const known = jieba.tag(word);
        if (known.length === 1 && known[0]!.word === word) jieba.insertWord(word, known[0]!.tag);
        else jieba.insertWord(word);
      }
      inserted.add(w);
    }
    pending.clear();
  }
  return jieba;
}

/**
 * Load jieba now, with `words` in it, instead of at the first candidate that needs it: for a thread that
 * is about to lint a long stream of replies (an audit's workers), where a 0.1–0.3 s pause in the middle
 * of its first batch would hold up every batch behind it.
 */
export function loadSegmenter(words: Iterable<string>): void {
  addWords(words);
  segmenter();
}

export function isSegmenterLoaded(): boolean {
  return jieba !== undefined;
}

/**
 * Token boundaries of `text` as a sorted array of UTF-16 offsets (0 and text.length included).
 * jieba returns the tokens in order and never drops characters, so offsets are running sums.
 * Without jieba's HMM: tokens are then exactly dictionary words or single characters, which is what lets
 * segment/crossing.ts decide most boundaries with no segmentation at all (and the HMM's guesses at unknown
 * words only ever glued rule phrases to a neighbour: 是不能, 加不能). The labeled evaluation is unchanged.
 */
export function tokenBoundaries(text: string): Int32Array {
  const tokens = segmenter().cut(text, false);
  const bounds = new Int32Array(tokens.length + 1);
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    at += tokens[i]!.length;
    bounds[i + 1] = at;
  }
  if (at !== text.length) throw new Error(`segmenter lost characters (${at} of ${text.length})`);
  return bounds;
}

export function cut(text: string): string[] {
  return segmenter().cut(text, true);
}

export interface TaggedToken {
  word: string;
  /** jieba's part-of-speech tag (ICTCLAS style: v verb, n noun, d adverb, t time, m numeral, x other…). */
  tag: string;
  /** UTF-16 offsets in the text that was tagged. */
  start: number;
  end: number;
}

/** Words with part-of-speech tags and their offsets. */
export function tagWords(text: string): TaggedToken[] {
  const out: TaggedToken[] = [];
  let at = 0;
  for (const { word, tag } of segmenter().tag(text)) {
    // jieba drops nothing but whitespace may come back merged or split: find each word where it is.
    const start = text.indexOf(word, at);
    if (start < 0) throw new Error(`segmenter lost characters at ${at} of ${text.length}`);
    out.push({ word, tag, start, end: start + word.length });
    at = start + word.length;
  }
  return out;
}
