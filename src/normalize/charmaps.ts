// Character-level maps taken from OpenCC's own dictionaries (via opencc-js).
// We convert one code point to one code point, never phrases, so the offset map stays trivial and exact;
// phrase conversion is only used when rendering suggestions (see ./render.ts).
import TSCharacters from 'opencc-js/dict/TSCharacters';
import STCharacters from 'opencc-js/dict/STCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';

type CharMap = Map<number, number>;

/** Parse an OpenCC "src dst1 dst2|src dst…" dictionary, keeping single-code-point → first single-code-point pairs. */
function parseCharDict(dict: string, skip: ReadonlySet<string> = new Set()): CharMap {
  const map: CharMap = new Map();
  for (const entry of dict.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to || skip.has(from)) continue;
    const f = from.codePointAt(0)!;
    const t = to.codePointAt(0)!;
    if (String.fromCodePoint(f) !== from || String.fromCodePoint(t) !== to) continue;
    if (f !== t) map.set(f, t);
  }
  return map;
}

let toSimplifiedMap: CharMap | undefined;
let simplifiedOnly: Set<number> | undefined;
let traditionalOnly: Set<number> | undefined;

function build(): void {
  // 著 is both a Taiwan spelling of 着 and a valid simplified character (著名): leave it alone.
  const twRev = parseCharDict(TWVariantsRev, new Set(['著']));
  const hkRev = parseCharDict(HKVariantsRev);
  const ts = parseCharDict(TSCharacters);
  const st = parseCharDict(STCharacters);
  const map: CharMap = new Map();
  const keys = new Set<number>([...twRev.keys(), ...hkRev.keys(), ...ts.keys()]);
  for (const c of keys) {
    const standard = twRev.get(c) ?? hkRev.get(c) ?? c;
    const simplified = ts.get(standard) ?? ts.get(c) ?? standard;
    if (simplified !== c) map.set(c, simplified);
  }
  toSimplifiedMap = map;
  // A character that simplifies to something else is traditional-only; one that OpenCC would
  // traditionalize (and that is not itself a traditional form) is simplified-only.
  traditionalOnly = new Set([...ts.keys()].filter((c) => !st.has(c)));
  simplifiedOnly = new Set([...st.keys()].filter((c) => !ts.has(c)));
}

export function simplifiedCodePoint(cp: number): number {
  if (!toSimplifiedMap) build();
  return toSimplifiedMap!.get(cp) ?? cp;
}

export function isTraditionalOnly(cp: number): boolean {
  if (!traditionalOnly) build();
  return traditionalOnly!.has(cp);
}

export function isSimplifiedOnly(cp: number): boolean {
  if (!simplifiedOnly) build();
  return simplifiedOnly!.has(cp);
}
