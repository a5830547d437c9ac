// The suggestions checked at build time (dist/dict/prechecked.json, src/suggest/prechecked.ts): what the
// table says of each text must be what linting it says now, it must serve only the set it was built for,
// and a draft must get the same suggestions with it as without it.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig, rulesForConfig } from '../src/config/index.js';
import { relintFindings, lintText } from '../src/engine/lint.js';
import { compileRules } from '../src/rules/compile.js';
import { BUILTIN_RULES_DIR } from '../src/rules/load.js';
import { parsePack } from '../src/rules/parse.js';
import { constantCandidates } from '../src/suggest/index.js';
import { PRECHECKED_FILE, precheckedFor, setFingerprint } from '../src/suggest/prechecked.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaults = async () => (await rulesForConfig(await resolveConfig(undefined))).set;
const fields = (fs: readonly { ruleId: string; excerpt: string; offset: number; length: number }[]) => fs.map((f) => [f.ruleId, f.excerpt, f.offset, f.length]);

describe('suggestions checked at build time', () => {
  it('holds every constant candidate, with the findings linting it gives now', async () => {
    const set = await defaults();
    const lookup = precheckedFor(set);
    expect(lookup, 'huashu:recommended as built is served from the table').toBeDefined();
    const texts = constantCandidates(set.rules.map((r) => r.spec));
    expect(texts.length).toBeGreaterThan(30);
    const table = JSON.parse(readFileSync(PRECHECKED_FILE, 'utf8')) as { texts: Record<string, unknown> };
    expect(Object.keys(table.texts).sort()).toEqual([...texts].sort());
    for (const t of texts) expect(fields(lookup!(t)!), t).toEqual(fields(relintFindings(t, set)));
    // a text the table does not hold is linted
    expect(lookup!('這是一句表裡沒有的話。')).toBeUndefined();
  });

  it('serves no set but the one it was built for', async () => {
    const config = await resolveConfig(undefined);
    const first = (await defaults()).rules[0]!.spec.id;
    // a rule turned off, a severity changed, another preset, a config's dictionary
    const off = await rulesForConfig({ ...config, rules: [{ selector: first, setting: 'off' }] });
    const severity = await rulesForConfig({ ...config, rules: [{ selector: first, setting: 'info' }] });
    const strict = await rulesForConfig(config, [join(BUILTIN_RULES_DIR, 'extra')]); // what huashu:strict adds
    const dictionary = await rulesForConfig({ ...config, dictionary: ['包裹單號'] });
    for (const { set } of [off, severity, strict, dictionary]) expect(precheckedFor(set)).toBeUndefined();
    // the built-in packs read from their YAML (as an edited pack would be), not from the pack cache
    const packs = readdirSync(BUILTIN_RULES_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parsePack(readFileSync(join(BUILTIN_RULES_DIR, f), 'utf8'), join(BUILTIN_RULES_DIR, f)));
    expect(setFingerprint(compileRules(packs))).toBeUndefined();
  });

  it('leaves every suggestion as it was: the same drafts, with and without the table', async () => {
    const served = await defaults();
    expect(precheckedFor(served)).toBeDefined();
    const packs = readdirSync(BUILTIN_RULES_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => parsePack(readFileSync(join(BUILTIN_RULES_DIR, f), 'utf8'), join(BUILTIN_RULES_DIR, f)));
    const linted = compileRules(packs);
    expect(precheckedFor(linted)).toBeUndefined();
    const constant = new Set(constantCandidates(served.rules.map((r) => r.spec)));
    const dir = join(ROOT, 'fixtures', 'drafts');
    let suggestions = 0;
    let fromTable = 0;
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      const found = lintText(text, served);
      const a = found.map((x) => [x.ruleId, x.offset, x.suggestions]);
      const b = lintText(text, linted).map((x) => [x.ruleId, x.offset, x.suggestions]);
      expect(a, f).toEqual(b);
      for (const x of found) for (const s of x.suggestions) (constant.has(s.text) ? fromTable++ : suggestions++);
    }
    // both kinds were compared: suggestions checked from the table and suggestions linted now
    expect(fromTable).toBeGreaterThan(3);
    expect(suggestions).toBeGreaterThan(10);
  });
});
