// Character-level maps taken from OpenCC's own dictionaries (via opencc-js).
// We convert one code point to one code point, never phrases, so the offset map stays trivial and exact;
// phrase conversion is only used when rendering suggestions (see ./render.ts).
import TSCharacters from 'opencc-js/dict/TSCharacters';
import STCharacters from 'opencc-js/dict/STCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';

type CharMap = Map<number, number>;

/** Parse an OpenCC "src dst1 dst2|src dst…" dictionary, keeping single-code-point → first single-code-point pairs. */
function parseCharDict(dict: string): CharMap {
  const map: CharMap = new Map();
  for (const entry of dict.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to) continue;
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
  const twRev = parseCharDict(TWVariantsRev);
  const hkRev = parseCharDict(HKVariantsRev);
  const ts = parseCharDict(TSCharacters);
  const st = parseCharDict(STCharacters);
  // Characters that are already simplified (targets of TS, like 么 台 才) stay as they are even where a
  // variants table lists them (TW 么→幺, HK 台→臺): only traditional forms are converted.
  const simplifiedTargets = new Set(ts.values());
  const map: CharMap = new Map();
  for (const c of new Set([...twRev.keys(), ...hkRev.keys(), ...ts.keys()])) {
    let simplified = ts.get(c);
    if (simplified === undefined && !simplifiedTargets.has(c)) {
      const standard = twRev.get(c) ?? hkRev.get(c) ?? c;
      simplified = ts.get(standard) ?? standard;
    }
    if (simplified !== undefined && simplified !== c) map.set(c, simplified);
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
