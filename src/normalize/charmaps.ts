// Character-level maps taken from OpenCC's own dictionaries: traditional → simplified, and which characters
// only one script uses. Built at build time into dist/dict/charmaps.json (./charmaps-build.ts), so start-up
// reads ~10k numbers instead of parsing OpenCC's dictionaries; held in flat typed arrays because normalize
// looks up every character of every text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHAR_DICT_NAMES, CHAR_TABLES_VERSION, charTablesFromDicts, type CharDicts, type CharTables } from './charmaps-build.js';

const TABLE_FILE = fileURLToPath(new URL('../../dist/dict/charmaps.json', import.meta.url));
/** CJK lives in planes 0–3; OpenCC has nothing above (the build checks). */
export const TABLE_SIZE = 0x40000;
const TRADITIONAL_ONLY = 1;
const SIMPLIFIED_ONLY = 2;

function readTables(): CharTables | undefined {
  try {
    const t = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as CharTables;
    return t.version === CHAR_TABLES_VERSION ? t : undefined;
  } catch {
    return undefined; // not built: derive them from OpenCC below
  }
}

/**
 * Not built (running from source): derive the tables from OpenCC's dictionaries, loaded synchronously
 * (require of an ES module, Node ≥ 20.19) — no top-level await, so `require('huashu')` works.
 */
function tablesFromOpenCC(): CharTables {
  const load = createRequire(import.meta.url);
  try {
    return charTablesFromDicts(Object.fromEntries(CHAR_DICT_NAMES.map((n) => [n, (load(`opencc-js/dict/${n}`) as { default: string }).default])) as unknown as CharDicts);
  } catch (e) {
    throw new Error(`huashu: ${TABLE_FILE} is missing and OpenCC's dictionaries could not be loaded (${(e as Error).message}); run \`npm run build\``);
  }
}

const tables = readTables() ?? tablesFromOpenCC();

/** code point → its simplified code point, 0 where unchanged. */
const simplified = new Int32Array(TABLE_SIZE);
/** code point → TRADITIONAL_ONLY | SIMPLIFIED_ONLY | 0. */
const scriptOnly = new Uint8Array(TABLE_SIZE);
for (let i = 0; i < tables.simplify.length; i += 2) simplified[tables.simplify[i]!] = tables.simplify[i + 1]!;
// Variant spellings folded to one form, so a pack lists it once: 到帐/到帳 → 到账 (帐 is also "tent", which no
// rule is about).
for (const [from, to] of [['帐', '账'], ['帳', '账']] as const) simplified[from.codePointAt(0)!] = to.codePointAt(0)!;
for (const cp of tables.traditionalOnly) scriptOnly[cp] = TRADITIONAL_ONLY;
for (const cp of tables.simplifiedOnly) scriptOnly[cp] = SIMPLIFIED_ONLY;

export function simplifiedCodePoint(cp: number): number {
  return (cp < TABLE_SIZE && simplified[cp]) || cp;
}

/** 1: only traditional text uses the character, 2: only simplified text does, 0: neither or both. */
export function scriptOnlyClass(cp: number): 0 | 1 | 2 {
  return cp < TABLE_SIZE ? (scriptOnly[cp] as 0 | 1 | 2) : 0;
}

export function isTraditionalOnly(cp: number): boolean {
  return cp < TABLE_SIZE && scriptOnly[cp] === TRADITIONAL_ONLY;
}

export function isSimplifiedOnly(cp: number): boolean {
  return cp < TABLE_SIZE && scriptOnly[cp] === SIMPLIFIED_ONLY;
}
