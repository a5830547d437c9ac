// The dictionary words that could cross the start or the end of a phrase (see src/segment/crossing.ts):
// build-crossing.mjs lists them for the run time, and build-dict.mjs keeps them in the trimmed dictionary.

/**
 * For each phrase, [word, offset] pairs: on the start side, a word placed with the phrase start at offset j
 * inside it (1 ≤ j < |word|); on the end side, one placed with the phrase end at offset k inside it.
 * `words`: words of two characters or more.
 */
export function crossingWords(phrases, words) {
  // Index words by each character they contain, so each phrase only looks at words sharing its edge character.
  const byChar = new Map();
  for (const w of words) for (const c of new Set(w)) (byChar.get(c) ?? byChar.set(c, []).get(c)).push(w);
  const agree = (a, b) => {
    const n = Math.min(a.length, b.length);
    return a.slice(0, n) === b.slice(0, n);
  };
  const start = {};
  const end = {};
  for (const p of phrases) {
    const s = [];
    const e = [];
    for (const w of byChar.get(p[0]) ?? []) {
      for (let j = 1; j < w.length; j++) if (agree(w.slice(j), p)) s.push([w, j]);
    }
    const last = p[p.length - 1];
    for (const w of byChar.get(last) ?? []) {
      for (let k = 1; k < w.length; k++) {
        const head = w.slice(0, k);
        const n = Math.min(head.length, p.length);
        if (head.slice(head.length - n) === p.slice(p.length - n)) e.push([w, k]);
      }
    }
    start[p] = s;
    end[p] = e;
  }
  return { start, end };
}
