// A prh dictionary (https://github.com/prh/prh) made from huashu's phrase rules, for textlint-rule-prh:
// each phrase of the built-in packs, in simplified and in Taiwan and Hong Kong traditional script, is a
// pattern whose `expected` is the rule's first replacement (or the rule id). prh matches strings anywhere:
// it has no notion of word boundaries, exceptions or context — which is what the side-by-side shows.
// Usage: node bench/textlint/make-prh.mjs [out-dir] [--per-phrase]   (writes prh.yml and prh-<category>.yml)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPacks, normalize } from '../../dist/index.js';
import { renderInScript } from '../../dist/normalize/render.js';

/**
 * prh rules by category: [{ expected, patterns }]: one per huashu rule, or with `perPhrase` one per phrase
 * (the usual shape of a hand-written prh dictionary: a term, its variants, its replacement).
 */
export async function prhRules({ perPhrase = false } = {}) {
  const byCategory = {};
  for (const pack of await loadPacks()) {
    for (const rule of pack.rules) {
      const phrases = rule.match.phrases ?? [];
      if (phrases.length === 0) continue;
      const replacement = rule.suggest.find((s) => s.kind === 'replace');
      const expected = replacement ? normalize(replacement.text).text : `【${rule.id}】`;
      const forms = (p) => {
        const simplified = normalize(p).text;
        return [simplified, renderInScript(simplified, 'traditional-tw'), renderInScript(simplified, 'traditional-hk')].filter((f) => f && f !== expected);
      };
      const list = (byCategory[rule.category] ??= []);
      if (perPhrase) for (const p of phrases) list.push({ expected, patterns: [...new Set(forms(p))] });
      else list.push({ expected, patterns: [...new Set(phrases.flatMap(forms))] });
    }
  }
  return byCategory;
}

/** Write prh.yml (every category) and prh-<category>.yml into `dir`; returns their paths. */
export async function writePrhDictionaries(dir, options = {}) {
  mkdirSync(dir, { recursive: true });
  const byCategory = await prhRules(options);
  const write = (name, rules) => {
    const file = join(dir, name);
    writeFileSync(file, stringify({ version: 1, rules }));
    return file;
  };
  const files = { all: write('prh.yml', Object.values(byCategory).flat()) };
  for (const [category, rules] of Object.entries(byCategory)) files[category] = write(`prh-${category}.yml`, rules);
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = { perPhrase: process.argv.includes('--per-phrase') };
  const files = await writePrhDictionaries(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '.', options);
  const rules = Object.values(await prhRules(options)).flat();
  console.log(`prh: ${rules.length} rules, ${rules.reduce((n, r) => n + r.patterns.length, 0)} patterns → ${Object.values(files).join(', ')}`);
}
