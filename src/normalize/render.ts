// Rendering rule text (messages, suggestions, why quotes) in the draft's own script. Pack authors write in
// either script; the built-in packs quote the (traditional) seed documents.
//
// Every text of the built-in packs is rendered at build time in all three scripts (scripts/build-prerendered.mjs
// → dist/dict/prerendered.json), so linting with them loads no OpenCC dictionary at all. Other text (user
// packs, seed passages, examples) is converted with OpenCC, whose dictionaries are loaded by
// prepareRendering(): await it before rendering such text (buildRuleSet does it for a rule set's texts).
// Text rendered without it loads the dictionaries synchronously on first use (a library caller that
// compiled its own packs): nothing is loaded when the module is imported.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ConverterFunction } from 'opencc-js/core';
import { detectScript, type Script } from './script.js';

export const SCRIPTS: readonly Script[] = ['simplified', 'traditional-tw', 'traditional-hk'];

const PRERENDERED_FILE = fileURLToPath(new URL('../../dist/dict/prerendered.json', import.meta.url));
export const PRERENDERED_VERSION = 1;

export interface PrerenderedFile {
  version: number;
  renders: Record<Script, Record<string, string>>;
}

let prerendered: PrerenderedFile['renders'] | null | undefined;

function prerenderedTexts(): PrerenderedFile['renders'] | null {
  if (prerendered === undefined) {
    try {
      const file = JSON.parse(readFileSync(PRERENDERED_FILE, 'utf8')) as PrerenderedFile;
      prerendered = file.version === PRERENDERED_VERSION ? file.renders : null;
    } catch {
      prerendered = null; // not built: everything goes through OpenCC
    }
  }
  return prerendered;
}

const isPrerendered = (text: string) => {
  const table = prerenderedTexts();
  return table !== null && SCRIPTS.every((s) => table[s]?.[text] !== undefined);
};

// OpenCC, once prepareRendering() has loaded it. Converters are built on first use: a simplified-only run
// never builds the traditional ones, and the large simplified→traditional table is loaded only for texts
// that need it.
type Factory = typeof import('opencc-js/core').ConverterFactory;
type Dict = string;
let opencc: { factory: Factory; dicts: Record<string, Dict> } | undefined;
let s2tDicts: Record<string, Dict> | undefined;

const OPENCC_DICTS = ['TSPhrases', 'TSCharacters', 'TWVariantsRevPhrases', 'TWVariantsRev', 'TWPhrases', 'TWVariantsPhrases', 'TWVariants', 'HKVariantsPhrases', 'HKVariants'];

async function loadDicts(names: readonly string[]): Promise<Record<string, Dict>> {
  const modules = await Promise.all(names.map((n) => import(`opencc-js/dict/${n}`) as Promise<{ default: Dict }>));
  return Object.fromEntries(names.map((n, i) => [n, modules[i]!.default]));
}

/**
 * Make `texts` renderable in every script (default: any text at all). Loads nothing when all of them were
 * rendered at build time.
 */
export async function prepareRendering(texts?: Iterable<string>): Promise<void> {
  const list = texts ? [...texts] : undefined;
  const missing = list ? list.filter((t) => !isPrerendered(t)) : undefined;
  if (missing && missing.length === 0) return;
  if (!opencc) {
    const [{ ConverterFactory }, dicts] = await Promise.all([
      import('opencc-js/core'),
      loadDicts(OPENCC_DICTS),
    ]);
    opencc = { factory: ConverterFactory, dicts };
  }
  if (!s2tDicts && (!missing || missing.some(needsS2T))) {
    s2tDicts = await loadDicts(['STPhrases', 'STCharacters']);
  }
}

/** prepareRendering() was not awaited: load what is missing now, synchronously (require of ES modules). */
function loadSync(s2t: boolean): void {
  const load = createRequire(import.meta.url);
  const dicts = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, (load(`opencc-js/dict/${n}`) as { default: Dict }).default]));
  try {
    opencc ??= { factory: (load('opencc-js/core') as typeof import('opencc-js/core')).ConverterFactory, dicts: dicts(OPENCC_DICTS) };
    if (s2t) s2tDicts ??= dicts(['STPhrases', 'STCharacters']);
  } catch (e) {
    throw new Error(`huashu: cannot load OpenCC synchronously (${(e as Error).message}); await prepareRendering() before rendering text`);
  }
}

const converters = new Map<string, ConverterFunction>();

function converter(name: string, dicts: (d: Record<string, Dict>) => Dict[][][]): ConverterFunction {
  let c = converters.get(name);
  if (!c) {
    if (!opencc) loadSync(false);
    c = opencc!.factory(...dicts(opencc!.dicts));
    converters.set(name, c);
  }
  return c;
}

function toStandardTraditional(text: string): string {
  if (detectScript(text).simplifiedChars === 0) return text;
  if (!s2tDicts) loadSync(true);
  return converter('s2t', () => [[[s2tDicts!.STPhrases!, s2tDicts!.STCharacters!]]])(text);
}

/** Render with OpenCC, ignoring the build-time table (prepareRendering() first). */
export function renderWithOpenCC(text: string, script: Script): string {
  if (script === 'simplified') return converter('t2s', (d) => [[[d.TWVariantsRevPhrases!, d.TWVariantsRev!]], [[d.TSPhrases!, d.TSCharacters!]]])(text);
  const traditional = toStandardTraditional(text);
  if (script === 'traditional-tw') return converter('t2tw', (d) => [[[d.TWPhrases!], [d.TWVariantsPhrases!, d.TWVariants!]]])(traditional);
  return converter('t2hk', (d) => [[[d.HKVariantsPhrases!, d.HKVariants!]]])(traditional);
}

const cache = new Map<string, string>();

export function renderInScript(text: string, script: Script): string {
  const key = script + '\u0000' + text;
  let out = cache.get(key);
  if (out === undefined) {
    out = prerenderedTexts()?.[script]?.[text] ?? renderWithOpenCC(text, script);
    cache.set(key, out);
  }
  return out;
}

/** True when rendering this text in a traditional script needs the simplified→traditional table. */
export function needsS2T(text: string): boolean {
  return detectScript(text).simplifiedChars > 0;
}

/** Mainland words that Taiwan writes otherwise, which OpenCC's Taiwan phrases leave alone (您的反饋 → 您的意見). */
const TAIWAN_WORDS: [string, string][] = [
  ['您的反饋', '您的意見'],
  ['你的反饋', '你的意見'],
  ['反饋', '回饋'],
  ['質量', '品質'],
  ['賬號', '帳號'],
  ['賬戶', '帳戶'],
  ['到賬', '到帳'],
  ['視頻', '影片'],
  ['詞匯', '詞彙'],
];

/**
 * One of our own texts (a finding's message, a suggestion) in the reader's script and, for a Taiwan
 * reader, Taiwan vocabulary. Quotations from the documents go through renderInScript alone. (Plain
 * strings, not global patterns: V8 compiles a global pattern on its first use, which a one-draft run pays.)
 */
export function renderOurText(text: string, script: Script): string {
  let out = renderInScript(text, script);
  if (script === 'traditional-tw') for (const [from, to] of TAIWAN_WORDS) if (out.includes(from)) out = out.split(from).join(to);
  return out;
}
