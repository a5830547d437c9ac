// Every occurrence of many short literal strings (rule phrases, pattern anchors) in one pass over a text.
//
// The strings are indexed by their first UTF-16 unit, then by their second: the pass looks each character
// up in a flat table and, for the few characters some string starts with, the next character in a small
// map, and compares only the strings that begin with both. Rule phrases and anchors are one to six
// characters long, so most positions cost one table lookup. This replaced an Aho–Corasick automaton
// (@monyone/aho-corasick), which cost ~75 ns a character here and ~60 ms to build over ~1000 anchors.

interface Group {
  /** Keywords of one character (their ids). */
  single: number[];
  /** Longer keywords by their second UTF-16 unit (their ids). */
  bySecond: Map<number, number[]>;
}

export class KeywordIndex {
  /** First UTF-16 unit → 1 + index into groups (0: no keyword starts with it). */
  private readonly first = new Int32Array(0x10000);
  private readonly groups: Group[] = [];
  /** The distinct keywords; a keyword's id is its index here. */
  readonly keywords: readonly string[];
  /** By id: 1 for a keyword only recorded (`seen`), never visited. */
  private readonly quiet: Uint8Array;

  /**
   * `quiet`: keywords whose occurrences only need recording, not visiting (the words patterns require:
   * most of the index's hits, such as 的 and ，, and a call each was a good share of the pass).
   */
  constructor(keywords: Iterable<string>, quiet: ReadonlySet<string> = new Set()) {
    const unique = new Set<string>();
    for (const k of keywords) if (k.length > 0) unique.add(k);
    this.keywords = [...unique];
    this.quiet = new Uint8Array(this.keywords.length);
    this.keywords.forEach((k, id) => {
      if (quiet.has(k)) this.quiet[id] = 1;
      const c = k.charCodeAt(0);
      if (this.first[c] === 0) this.first[c] = this.groups.push({ single: [], bySecond: new Map() });
      const group = this.groups[this.first[c]! - 1]!;
      if (k.length === 1) group.single.push(id);
      else {
        const second = k.charCodeAt(1);
        const list = group.bySecond.get(second);
        if (list) list.push(id);
        else group.bySecond.set(second, [id]);
      }
    });
  }

  get size(): number {
    return this.keywords.length;
  }

  /**
   * Calls `visit` for every occurrence of a keyword that is not quiet, overlapping ones included, in order
   * of start. With `seen`, also sets `seen[id] = stamp` for every keyword found, quiet or not.
   */
  forEach(text: string, visit: (keyword: string, start: number, id: number) => void, seen?: Int32Array, stamp = 0): void {
    if (this.keywords.length === 0) return;
    const { first, keywords, quiet } = this;
    for (let i = 0; i < text.length; i++) {
      const g = first[text.charCodeAt(i)]!;
      if (g === 0) continue;
      const group = this.groups[g - 1]!;
      for (const id of group.single) {
        if (seen) seen[id] = stamp;
        if (quiet[id] === 0) visit(keywords[id]!, i, id);
      }
      if (i + 1 === text.length) continue;
      const longer = group.bySecond.get(text.charCodeAt(i + 1));
      if (longer) {
        for (const id of longer) {
          const k = keywords[id]!;
          if (!text.startsWith(k, i)) continue;
          if (seen) seen[id] = stamp;
          if (quiet[id] === 0) visit(k, i, id);
        }
      }
    }
  }
}
