// A config's `overrides`: rule settings for the files that match globs (relative to the config's folder),
// and — with `fields` — for some strings of a JSON or YAML file only (JSON has no comments to carry a
// directive). Matching overrides are applied after the config's own `rules`, in the order written; a
// set of rules is compiled once per combination of overrides and kept.
//
//   overrides:
//     - files: ['legal/**']
//       rules: { overpromise: warning }
//     - files: ['macros/*.json']
//       fields: ['macros[*].title']
//       rules: { negative: off }
import { relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { compileRules, type RuleSet } from '../rules/compile.js';
import { parseFieldPaths } from '../inputs/field-path.js';
import { applyOverrides, type ConfiguredRules } from './index.js';
import type { ResolvedConfig, ResolvedOverride } from './resolve.js';

let picomatch: typeof picomatchType | undefined;
const matchers = new Map<string, (path: string) => boolean>();

function matches(o: ResolvedOverride, file: string): boolean {
  const rel = relative(o.base, resolve(file)).split(sep).join('/');
  if (rel.startsWith('../')) return false;
  return o.files.some((pattern) => {
    let isMatch = matchers.get(pattern);
    if (!isMatch) {
      picomatch ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType;
      // A glob without a slash matches the file name in any folder, as in .gitignore.
      isMatch = picomatch(pattern, { dot: true, matchBase: !pattern.includes('/') });
      matchers.set(pattern, isMatch);
    }
    return isMatch(rel);
  });
}

const derived = new WeakMap<ConfiguredRules, Map<string, ConfiguredRules>>();
const compiled = new WeakMap<ConfiguredRules, Map<string, { set: RuleSet; off: string[] }>>();

/** The base's packs compiled with the config's rules and the given overrides' rules after them. */
function compileWith(base: ConfiguredRules, indexes: readonly number[]): { set: RuleSet; off: string[] } {
  let byKey = compiled.get(base);
  if (!byKey) compiled.set(base, (byKey = new Map()));
  const key = indexes.join(',');
  let out = byKey.get(key);
  if (!out) {
    const config: ResolvedConfig = { ...base.config, rules: [...base.config.rules, ...indexes.flatMap((i) => base.config.overrides[i]!.rules)] };
    // The packs were checked (patterns, rendering) when the base was built: only the settings differ.
    const { packs, off } = applyOverrides(base.packs, config);
    out = { set: compileRules(packs, { dictionary: config.dictionary, off }), off };
    byKey.set(key, out);
  }
  return out;
}

/** The rules for `file`: the base with the overrides whose globs match it. */
export function forPath(base: ConfiguredRules, file: string): ConfiguredRules {
  const overrides = base.config.overrides;
  if (overrides.length === 0) return base;
  const whole: number[] = [];
  const scoped: number[] = [];
  overrides.forEach((o, i) => {
    if (matches(o, file)) (o.fields ? scoped : whole).push(i);
  });
  if (whole.length === 0 && scoped.length === 0) return base;
  let byKey = derived.get(base);
  if (!byKey) derived.set(base, (byKey = new Map()));
  const key = `${whole.join(',')}|${scoped.join(',')}`;
  let out = byKey.get(key);
  if (!out) {
    const { set, off } = whole.length ? compileWith(base, whole) : base;
    out = { ...base, set, off };
    if (scoped.length) {
      const scopes = scoped.map((i) => parseFieldPaths(overrides[i]!.fields!));
      // A string selected by several scoped overrides gets all of them, in the order written.
      out.scoped = { scopes, setForScopes: (which) => compileWith(base, [...whole, ...which.map((k) => scoped[k]!)]).set };
    }
    byKey.set(key, out);
  }
  return out;
}
