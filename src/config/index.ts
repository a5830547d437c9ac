// Configs on disk: find the one that applies to a file (from its folder upward, or --config), resolve
// it, and build the rules it asks for. Results are cached per folder and per config file, so linting a
// thousand files under one config reads and compiles it once.
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { READ_LIMITS, ReadLimitError, readRegularFile } from '../inputs/read-limited.js';
import { didYouMean, RuleError } from '../rules/errors.js';
import { buildRuleSet, packFiles, readPack } from '../rules/load.js';
import type { RuleSet } from '../rules/compile.js';
import type { PackSpec } from '../rules/types.js';
import type { FieldPath } from '../inputs/field-path.js';
import { CONFIG_FILES } from './files.js';
import { resolveConfig, selectsRule, settingFor, type ResolvedConfig } from './resolve.js';

export { CONFIG_FILES } from './files.js';
export { PRESETS, DEFAULT_PRESET, resolveConfig, settingFor, type ResolvedConfig } from './resolve.js';

/**
 * The config file for files in `dir`: the first of CONFIG_FILES in it or the nearest folder above. The
 * stats are synchronous: five names in each folder up to the root, one after another, each a round trip
 * through libuv's thread pool when asynchronous, cost a one-draft lint 1–5 ms of waiting (more while V8's
 * background threads hold both cores); each is a few microseconds done here.
 */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  let at = resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(at, name);
      try {
        if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
      } catch {
        // not readable here (a folder we may not enter): as if absent
      }
    }
    const up = dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

export async function loadConfigFile(file: string): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = readRegularFile(file, READ_LIMITS.configBytes).toString('utf8');
  } catch (e) {
    if (e instanceof ReadLimitError) throw new RuleError(`cannot read config: ${e.message}`, file);
    throw new RuleError(`cannot read config: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`, file);
  }
  const { parseConfig } = await import('./parse.js');
  return resolveConfig(parseConfig(text.replace(/^\uFEFF/, ''), file));
}

export interface ConfiguredRules {
  config: ResolvedConfig;
  /**
   * Every rule the config's packs define, severities as the config sets them. The rules the config turns
   * off are listed in it but never fire (compiled with CompileOptions.off), so lintText(text, set) applies
   * the config as it is.
   */
  set: RuleSet;
  /** Ids of the rules the config turns off. */
  off: string[];
  /** The packs as read, before the config's settings (overrides recompile them with other settings). */
  packs: readonly PackSpec[];
  /**
   * Overrides that apply to some strings of a JSON/YAML file only (`fields`): pass to lintDocument, which
   * lints the strings they select with their own rule set.
   */
  scoped?: { scopes: readonly (readonly FieldPath[])[]; setForScopes: (scopes: readonly number[]) => RuleSet };
}

/** Packs with the config's severity overrides applied. Every override must select some rule. */
export function applyOverrides(packs: readonly PackSpec[], config: ResolvedConfig): { packs: PackSpec[]; off: string[] } {
  const specs = packs.flatMap((p) => p.rules);
  const known = [...new Set(specs.flatMap((r) => [r.id, r.category, r.pack]))].sort();
  for (const o of config.rules) {
    if (!specs.some((r) => selectsRule(o.selector, r))) {
      const message = `rules: no rule, category or pack named '${o.selector}'${didYouMean(o.selector, known)}`;
      throw o.at ? new RuleError(message, o.at.file, o.at.line, o.at.column) : new RuleError(message, o.selector);
    }
  }
  const off: string[] = [];
  const adjusted = packs.map((p) => ({
    ...p,
    rules: p.rules.map((r) => {
      const setting = settingFor(r, config.rules);
      if (setting === 'off') {
        off.push(r.id);
        return r;
      }
      return setting === r.severity ? r : { ...r, severity: setting };
    }),
  }));
  return { packs: adjusted, off };
}

/** Rules for a resolved config, plus extra packs (lint --rules) on top. */
export async function rulesForConfig(config: ResolvedConfig, extraPacks: readonly string[] = []): Promise<ConfiguredRules> {
  const extra = (await Promise.all(extraPacks.map(packFiles))).flat();
  const packs = await Promise.all([...config.packs, ...extra].map(readPack));
  const { packs: adjusted, off } = applyOverrides(packs, config);
  return { config, set: await buildRuleSet(adjusted, { dictionary: config.dictionary, off }), off, packs };
}

// picomatch is loaded (and each glob compiled) only when a config has `ignore` globs.
let picomatch: typeof picomatchType | undefined;
const matchers = new Map<string, (path: string) => boolean>();

function globMatcher(pattern: string): (path: string) => boolean {
  let isMatch = matchers.get(pattern);
  if (!isMatch) {
    picomatch ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType;
    isMatch = picomatch(pattern, { dot: true });
    matchers.set(pattern, isMatch);
  }
  return isMatch;
}

/** The ignore glob of `config` that `file` matches, if any (a glob naming a folder covers what is in it). */
export function ignoredBy(config: ResolvedConfig, file: string): string | undefined {
  for (const { pattern, base } of config.ignore) {
    const rel = relative(base, resolve(file)).split(sep).join('/');
    const isMatch = globMatcher(pattern);
    const parts = rel.split('/');
    for (let n = parts.length; n > 0; n--) if (isMatch(parts.slice(0, n).join('/'))) return pattern;
  }
  return undefined;
}

/** Finds and caches configs and their rules for the files of one run. */
export class ConfigCache {
  private readonly byDir = new Map<string, Promise<string | undefined>>();
  private readonly byFile = new Map<string, Promise<ConfiguredRules>>();

  constructor(
    /** --config: one config for every file, no search. */
    private readonly explicit?: string,
    private readonly extraPacks: readonly string[] = [],
    /** No config file at all: the defaults for every file. */
    private readonly noSearch = false,
  ) {}

  /** The config file for a path (`undefined`: none, the defaults). Standard input: the working directory. */
  async fileFor(path: string | undefined): Promise<string | undefined> {
    if (this.explicit) return this.explicit;
    if (this.noSearch) return undefined;
    const dir = path === undefined ? process.cwd() : dirname(resolve(path));
    let found = this.byDir.get(dir);
    if (!found) this.byDir.set(dir, (found = findConfigFile(dir)));
    return found;
  }

  /** The rules for a path: its config's, with the config's `overrides` that match the path applied. */
  async rulesFor(path: string | undefined): Promise<ConfiguredRules> {
    const base = await this.configRules(path);
    if (path === undefined || base.config.overrides.length === 0) return base;
    const { forPath } = await import('./overrides.js');
    return forPath(base, path);
  }

  private async configRules(path: string | undefined): Promise<ConfiguredRules> {
    const file = await this.fileFor(path);
    const key = file ?? '';
    let rules = this.byFile.get(key);
    if (!rules) {
      rules = (async () => rulesForConfig(file ? await loadConfigFile(file) : await resolveConfig(undefined), this.extraPacks))();
      this.byFile.set(key, rules);
    }
    return rules;
  }
}
