// The dictionary words that could cross the start or the end of a phrase (see ./crossing.ts). The build
// lists them for the built-in phrases (scripts/build-crossing.mjs) and keeps them in the trimmed dictionary
// (scripts/build-dict.mjs); at run time, a team pack's phrases get theirs from the words the trimmed
// dictionary left out (./index.ts).

/** [word, offset]: the phrase's start (or end) lies at `offset` inside `word`, strictly inside it. */
export type Crossing = [word: string, offset: number];

/**
 * For each phrase, on the start side, the words placed with the phrase start at offset j inside them
 * (1 ≤ j < |word|); on the end side, the words placed with the phrase end at offset k inside them.
 * `words`: words of two characters or more.
 */
export function crossingWords(phrases: Iterable<string>, words: Iterable<string>): { start: Record<string, Crossing[]>; end: Record<string, Crossing[]> } {
  // Index words by each character they contain, so each phrase only looks at words sharing its edge character.
  const byChar = new Map<string, string[]>();
  for (const w of words) {
    for (const c of new Set(w)) {
      const list = byChar.get(c);
      if (list) list.push(w);
      else byChar.set(c, [w]);
    }
  }
  const agree = (a: string, b: string) => {
    const n = Math.min(a.length, b.length);
    return a.slice(0, n) === b.slice(0, n);
  };
  const start: Record<string, Crossing[]> = {};
  const end: Record<string, Crossing[]> = {};
  for (const p of phrases) {
    if (p.length === 0) continue;
    const s: Crossing[] = [];
    const e: Crossing[] = [];
    for (const w of byChar.get(p[0]!) ?? []) {
      for (let j = 1; j < w.length; j++) if (agree(w.slice(j), p)) s.push([w, j]);
    }
    for (const w of byChar.get(p[p.length - 1]!) ?? []) {
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
