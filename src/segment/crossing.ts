// Deciding token boundaries without loading jieba, when the answer cannot be in doubt.
//
// jieba's tokens are dictionary words (ours: the trimmed dictionary plus every rule phrase) or runs of
// single characters. A phrase found at [start, end) can only lose a boundary to a dictionary word that
// crosses `start` or `end` — 保證金 crossing the end of 保證, 可不 crossing the start of 不能. At build time
// (scripts/build-crossing.mjs) we list, for each built-in rule phrase, every dictionary word that could
// cross its start or end, with its offset. At run time, if none of them is present in the text at that
// offset, no token can cross and the boundaries hold: no segmentation needed. If one is present, the
// caller asks jieba. bench/crossing-agreement.mjs checks this gives jieba's answer on the corpus.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * phrase → the number of its list in `lists`, for the words crossing its start and its end. A list is one
 * string, "word,offset word,offset …" (offset of the phrase start inside the word on the start side, of the
 * phrase end on the end side), split on first use: one JSON string per list is far cheaper to load than an
 * array per word (scripts/build-crossing.mjs).
 */
interface CrossingFile {
  version: number;
  start: Record<string, number>;
  end: Record<string, number>;
  lists: string[];
}

type Crossings = readonly (readonly [word: string, offset: number])[];

interface CrossingTable extends CrossingFile {
  parsed: (Crossings | undefined)[];
}

const TABLE_VERSION = 2;
const TABLE_FILE = fileURLToPath(new URL('../../dist/dict/crossing.json', import.meta.url));
const DICTIONARY_FILE = fileURLToPath(new URL('../../dist/dict/jieba.small.utf8', import.meta.url));
let table: CrossingTable | null | undefined;
let extraWords: string[] = [];
let pendingWords: string[] = [];

function loadTable(): CrossingTable | null {
  try {
    const file = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as CrossingFile;
    return file.version === TABLE_VERSION ? { ...file, parsed: [] } : null;
  } catch {
    return null; // not built: always ask jieba
  }
}

function crossings(t: CrossingTable, list: number | undefined): Crossings | undefined {
  if (list === undefined) return undefined;
  let words = t.parsed[list];
  if (!words) {
    const text = t.lists[list];
    if (text === undefined) return undefined;
    words = text === '' ? [] : text.split(' ').map((entry) => {
      const comma = entry.lastIndexOf(',');
      return [entry.slice(0, comma), Number(entry.slice(comma + 1))] as const;
    });
    t.parsed[list] = words;
  }
  return words;
}

/** Words added at run time (a user's dictionary, phrases of packs not in the table) can cross too. */
export function addCrossingWords(words: Iterable<string>): void {
  pendingWords.push(...words);
}

/** The run-time words the table has not already accounted for. */
function settleExtraWords(t: CrossingTable): void {
  if (!pendingWords.length) return;
  const known = new Set(extraWords);
  for (const w of pendingWords) if (w.length > 1 && !(w in t.start) && !known.has(w)) known.add(w);
  extraWords = [...known];
  pendingWords = [];
}

function crossedByExtraWord(text: string, at: number): boolean {
  for (const w of extraWords) {
    for (let from = Math.max(0, at - w.length + 1); from < at; from++) {
      if (text.startsWith(w, from) && from + w.length > at) return true;
    }
  }
  return false;
}

/**
 * true when [start, end) of `text` (the phrase `phrase`) surely starts and ends on token boundaries;
 * undefined when only segmentation can tell.
 */
export function surelyOnBoundaries(text: string, start: number, end: number, phrase: string): true | undefined {
  table ??= loadTable();
  if (!table) return undefined;
  settleExtraWords(table);
  const starts = crossings(table, table.start[phrase]);
  const ends = crossings(table, table.end[phrase]);
  if (!starts || !ends) return undefined; // a phrase the table does not know
  for (const [word, offset] of starts) if (text.startsWith(word, start - offset)) return undefined;
  for (const [word, offset] of ends) if (text.startsWith(word, end - offset)) return undefined;
  if (extraWords.length && (crossedByExtraWord(text, start) || crossedByExtraWord(text, end))) return undefined;
  return true;
}

// Any span, not only a listed phrase (pattern rules): a position is surely a token boundary when no
// dictionary word crosses it, since jieba without its HMM makes tokens only of dictionary words and single
// characters (and runs of ASCII letters and digits, left to jieba). The dictionary is the trimmed one the
// segmenter loads; reading it (~30 ms) is far cheaper than loading jieba (~0.1 s, 40 MB).
interface Dictionary {
  words: Set<string>;
  /** Every pair of adjacent characters inside some word: a pair not here is crossed by no word. */
  pairs: Set<string>;
  longest: number;
}
let dictionary: Dictionary | null | undefined;

function loadDictionary(): Dictionary | null {
  let text: string;
  try {
    text = readFileSync(DICTIONARY_FILE, 'utf8');
  } catch {
    return null; // not built: always ask jieba
  }
  const found: Dictionary = { words: new Set(), pairs: new Set(), longest: 0 };
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    addWord(found, space < 0 ? line : line.slice(0, space));
  }
  return found;
}

function addWord(d: Dictionary, word: string): void {
  if (word.length < 2) return;
  d.words.add(word);
  d.longest = Math.max(d.longest, word.length);
  for (let i = 1; i < word.length; i++) d.pairs.add(word.slice(i - 1, i + 1));
}

const isAsciiAlphanumeric = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** true when position `at` of `text` is surely a jieba token boundary; undefined when only segmentation can tell. */
export function surelyBoundary(text: string, at: number): true | undefined {
  if (at <= 0 || at >= text.length) return true;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  if (isAsciiAlphanumeric(before) && isAsciiAlphanumeric(after)) return undefined;
  if (before >= 0xd800 && before <= 0xdbff) return undefined; // inside a surrogate pair
  table ??= loadTable();
  if (dictionary === undefined) {
    dictionary = loadDictionary();
    // The built-in rule phrases are jieba words too (the engine adds them): they cross like any other.
    if (dictionary && table) for (const phrase of Object.keys(table.start)) addWord(dictionary, phrase);
  }
  if (!dictionary || !table) return undefined;
  settleExtraWords(table);
  if (extraWords.length && crossedByExtraWord(text, at)) return undefined;
  if (!dictionary.pairs.has(text.slice(at - 1, at + 1))) return true;
  for (let length = 2; length <= dictionary.longest; length++) {
    for (let from = Math.max(0, at - length + 1); from < at; from++) {
      if (from + length <= text.length && dictionary.words.has(text.slice(from, from + length))) return undefined;
    }
  }
  return true;
}
