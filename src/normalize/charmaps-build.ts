// Building the character tables of ./charmaps.ts from OpenCC's own dictionaries (via opencc-js). Done once at
// build time (scripts/build-charmaps.mjs writes dist/dict/charmaps.json); at run time only when that file is
// missing (running from source without a build).
// We convert one code point to one code point, never phrases, so the offset map stays trivial and exact;
// phrase conversion is only used when rendering suggestions (see ./render.ts).

export const CHAR_TABLES_VERSION = 1;

export interface CharTables {
  version: number;
  /** Pairs: traditional (or variant) code point, its simplified code point; sorted by the first. */
  simplify: number[];
  /** Code points that only traditional text uses, sorted. */
  traditionalOnly: number[];
  /** Code points that only simplified text uses, sorted. */
  simplifiedOnly: number[];
}

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

export interface CharDicts {
  TSCharacters: string;
  STCharacters: string;
  TWVariantsRev: string;
  HKVariantsRev: string;
}

export const CHAR_DICT_NAMES = ['TSCharacters', 'STCharacters', 'TWVariantsRev', 'HKVariantsRev'] as const;

export async function charTablesFromOpenCC(): Promise<CharTables> {
  const modules = await Promise.all(CHAR_DICT_NAMES.map((n) => import(`opencc-js/dict/${n}`) as Promise<{ default: string }>));
  return charTablesFromDicts(Object.fromEntries(CHAR_DICT_NAMES.map((n, i) => [n, modules[i]!.default])) as unknown as CharDicts);
}

/** The tables from OpenCC's four character dictionaries (their text). */
export function charTablesFromDicts({ TSCharacters, STCharacters, TWVariantsRev, HKVariantsRev }: CharDicts): CharTables {
  const twRev = parseCharDict(TWVariantsRev);
  const hkRev = parseCharDict(HKVariantsRev);
  const ts = parseCharDict(TSCharacters);
  const st = parseCharDict(STCharacters);
  // Characters that are already simplified (targets of TS, like 么 台 才) stay as they are even where a
  // variants table lists them (TW 么→幺, HK 台→臺): only traditional forms are converted.
  const simplifiedTargets = new Set(ts.values());
  const simplify: [number, number][] = [];
  for (const c of new Set([...twRev.keys(), ...hkRev.keys(), ...ts.keys()])) {
    let simplified = ts.get(c);
    if (simplified === undefined && !simplifiedTargets.has(c)) {
      const standard = twRev.get(c) ?? hkRev.get(c) ?? c;
      simplified = ts.get(standard) ?? standard;
    }
    if (simplified !== undefined && simplified !== c) simplify.push([c, simplified]);
  }
  simplify.sort((a, b) => a[0] - b[0]);
  // A character that simplifies to something else is traditional-only; one that OpenCC would
  // traditionalize (and that is not itself a traditional form) is simplified-only.
  const byCode = (a: number, b: number) => a - b;
  return {
    version: CHAR_TABLES_VERSION,
    simplify: simplify.flat(),
    traditionalOnly: [...ts.keys()].filter((c) => !st.has(c)).sort(byCode),
    simplifiedOnly: [...st.keys()].filter((c) => !ts.has(c)).sort(byCode),
  };
}
