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

/** phrase → [word, offset of the phrase start inside the word (start side) or of the phrase end (end side)] */
interface CrossingTable {
  version: number;
  start: Record<string, [string, number][]>;
  end: Record<string, [string, number][]>;
}

const TABLE_FILE = fileURLToPath(new URL('../../dist/dict/crossing.json', import.meta.url));
let table: CrossingTable | null | undefined;
let extraWords: string[] = [];
let pendingWords: string[] = [];

function loadTable(): CrossingTable | null {
  try {
    return JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as CrossingTable;
  } catch {
    return null; // not built: always ask jieba
  }
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
  const starts = table.start[phrase];
  const ends = table.end[phrase];
  if (!starts || !ends) return undefined; // a phrase the table does not know
  for (const [word, offset] of starts) if (text.startsWith(word, start - offset)) return undefined;
  for (const [word, offset] of ends) if (text.startsWith(word, end - offset)) return undefined;
  if (extraWords.length && (crossedByExtraWord(text, start) || crossedByExtraWord(text, end))) return undefined;
  return true;
}
