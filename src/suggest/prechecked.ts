// Candidates checked at build time. Every candidate suggestion is linted again before it is offered
// (./index.ts); the model sentences and the packs' rewrites are the same texts draft after draft, and
// linting them was ~6 ms of a one-draft `huashu lint` (the rules and code paths they reach run for the first
// time in the process: docs/performance.md). scripts/build-prechecked.mjs lints them with the rule set
// `huashu lint` uses without a config (huashu:recommended) and writes what it found to
// dist/dict/prechecked.json; a set that is exactly that one reads them from there.
//
// "Exactly that one": every rule served from the pack cache as built (its pack's bytes unchanged, its
// severity not changed by a config), every classifier model from the prebuilt model state, the same rules
// in the same order with the same severities and the same ones turned off, and no dictionary of the
// config's. Any other set (a team's pack, a preset, an edited pack or model) lints its candidates as before.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPrebuiltModel } from '../classifier/index.js';
import type { Finding } from '../engine/findings.js';
import type { RuleSet } from '../rules/compile.js';
import { servedFromPackCache } from '../rules/pack-cache.js';

/** What the check of a candidate needs of each finding. */
export type Relinted = Pick<Finding, 'ruleId' | 'excerpt' | 'offset' | 'length'>;

export const PRECHECKED_FILE = fileURLToPath(new URL('../../dist/dict/prechecked.json', import.meta.url));
export const PRECHECKED_VERSION = 1;

interface PrecheckedFile {
  version: number;
  /** The set's fingerprint (setFingerprint). */
  set: string;
  /** Each text → its findings as [ruleId, excerpt, offset, length]. */
  texts: Record<string, [string, string, number, number][]>;
}

/**
 * What identifies a built-in set as the build saw it, or undefined for a set whose rules or models may
 * differ from their build (not served from the caches): such a set is never looked up.
 */
export function setFingerprint(set: RuleSet): string | undefined {
  for (const rule of set.rules) {
    if (!servedFromPackCache(rule.spec)) return undefined;
    if (rule.classifier && !isPrebuiltModel(rule.classifier.model)) return undefined;
  }
  // A config's dictionary is appended to the words, one entry each: the count tells it is there.
  return JSON.stringify({ rules: set.rules.map((r) => [r.spec.id, r.spec.severity, set.off.has(r.spec.id)]), words: set.words.length });
}

let table: { set: string; texts: Map<string, readonly Relinted[]> } | null | undefined;

function readTable(): typeof table {
  try {
    const file = JSON.parse(readFileSync(PRECHECKED_FILE, 'utf8')) as PrecheckedFile;
    if (file.version !== PRECHECKED_VERSION || typeof file.set !== 'string') return null;
    const texts = new Map<string, readonly Relinted[]>();
    for (const [text, found] of Object.entries(file.texts)) texts.set(text, found.map(([ruleId, excerpt, offset, length]) => ({ ruleId, excerpt, offset, length })));
    return { set: file.set, texts };
  } catch {
    return null; // no table (a build without it) or a damaged one: candidates are linted as before
  }
}

/** The build-time findings of candidates for this set, or undefined when the set is not the one the build saw. */
export function precheckedFor(set: RuleSet): ((text: string) => readonly Relinted[] | undefined) | undefined {
  const fingerprint = setFingerprint(set);
  if (fingerprint === undefined) return undefined;
  if (table === undefined) table = readTable();
  if (!table || table.set !== fingerprint) return undefined;
  const texts = table.texts;
  return (text) => texts.get(text);
}

/** The table as the build writes it (scripts/build-prechecked.mjs). */
export function precheckedFile(fingerprint: string, entries: Iterable<[string, readonly Relinted[]]>): string {
  const texts: PrecheckedFile['texts'] = {};
  for (const [text, found] of entries) texts[text] = found.map((f) => [f.ruleId, f.excerpt, f.offset, f.length]);
  return JSON.stringify({ version: PRECHECKED_VERSION, set: fingerprint, texts } satisfies PrecheckedFile);
}
