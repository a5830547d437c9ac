// Resolve a config's `extends` chain into one effective config: the pack files to load and, in order,
// the severity overrides, dictionary words, ignore globs and placeholders. Later wins: what a config
// says itself comes after what it extends, and each entry of `extends` after the one before it.
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isInside, projectRoot } from '../inputs/project.js';
import { READ_LIMITS, ReadLimitError, readRegularFile } from '../inputs/read-limited.js';
import { didYouMean, RuleError } from '../rules/errors.js';
import { BUILTIN_RULES_DIR, packFiles } from '../rules/load.js';
import { isPackText } from './files.js';
import type { ConfigSpec, Origin, RuleSetting } from './parse.js';

export const DEFAULT_PRESET = 'huashu:recommended';

interface Preset {
  description: string;
  extends: string[];
  /** Pack files or folders. */
  packs: string[];
}

/** Built-in presets. recommended is what `huashu lint` runs without a config (and what `npm run eval` measures). */
export const PRESETS: Record<string, Preset> = {
  'huashu:recommended': { description: 'the built-in overpromise, negative and blame packs', extends: [], packs: [BUILTIN_RULES_DIR] },
  'huashu:strict': {
    description: 'recommended, plus the sequence and absence rules of rules/extra/ (missing timeframe, alternative, apology)',
    extends: ['huashu:recommended'],
    packs: [join(BUILTIN_RULES_DIR, 'extra')],
  },
};

export interface RuleOverride {
  selector: string;
  setting: RuleSetting;
  /** Where it was written (absent for presets). */
  at?: Origin;
}

export interface ResolvedConfig {
  /** The config file in use; undefined when none was found (the defaults: huashu:recommended). */
  file?: string;
  /** Every preset, config and pack reached through `extends`, in the order they apply. */
  extends: string[];
  /** Pack files, in load order, each once. */
  packs: string[];
  /** Severity overrides; for each rule the last one that selects it wins. */
  rules: RuleOverride[];
  dictionary: string[];
  /** Ignore globs with the folder they are relative to. */
  ignore: { pattern: string; base: string }[];
  placeholders: string[];
  /** `audit:` settings of the last config in the chain that has them. */
  audit?: ConfigSpec['audit'];
  /** The team's training documents (absolute paths), from this config and those it extends. */
  documents: string[];
  /** Per-glob rule settings, in order (those of extended configs first); see config/overrides.ts. */
  overrides: ResolvedOverride[];
}

export interface ResolvedOverride {
  /** Globs relative to `base`, the folder of the config that wrote them. */
  files: string[];
  base: string;
  fields?: string[];
  rules: RuleOverride[];
}

const isPathLike = (name: string) => name.startsWith('.') || isAbsolute(name) || /\.(ya?ml|json)$/i.test(name);

/** Category or pack < prefix/* < rule id: in one `rules:` mapping the more specific entry wins. */
function specificity(selector: string): number {
  return selector.endsWith('/*') ? 1 : selector.includes('/') ? 2 : 0;
}

class Resolver {
  readonly out: ResolvedConfig;
  private readonly seenPacks = new Set<string>();
  private readonly active = new Set<string>();

  constructor(file: string | undefined) {
    this.out = { file, extends: [], packs: [], rules: [], dictionary: [], ignore: [], placeholders: [], documents: [], overrides: [] };
  }

  async preset(name: string, at: Origin | undefined, chain: string[]): Promise<void> {
    const preset = PRESETS[name];
    if (!preset) {
      const message = `unknown preset '${name}'${didYouMean(name, Object.keys(PRESETS))} (presets: ${Object.keys(PRESETS).join(', ')})`;
      throw at ? new RuleError(message, at.file, at.line, at.column) : new RuleError(message, name);
    }
    if (this.out.extends.includes(name)) return;
    for (const parent of preset.extends) await this.preset(parent, at, chain);
    this.out.extends.push(name);
    for (const p of preset.packs) await this.addPacks(p, at);
  }

  /** `root`: where the pack files must be (a folder's `.yaml` may be a link to anywhere). */
  private async addPacks(path: string, at: Origin | undefined, root?: string): Promise<void> {
    let files: string[];
    try {
      files = await packFiles(path);
    } catch (e) {
      // 'not found', 'no rule packs in this directory', …: said where the extends entry is written.
      const reason = e instanceof RuleError ? e.message.slice(e.file.length + 2) : 'not found';
      const message = `extends: '${path}': ${reason}`;
      throw at ? new RuleError(message, at.file, at.line, at.column) : new RuleError(message, path);
    }
    for (const f of files) {
      if (root !== undefined && !isInside(f, root)) {
        const message = `extends: '${f}': outside the project (${root}), through a symbolic link`;
        throw at ? new RuleError(message, at.file, at.line, at.column) : new RuleError(message, f);
      }
      const abs = resolve(f);
      if (this.seenPacks.has(abs)) continue;
      this.seenPacks.add(abs);
      this.out.packs.push(f);
    }
  }

  /**
   * A local path named in `extends`: a pack folder, a pack file, or another config. It must lie inside
   * `root` (the project of the config that started it all, or the npm package that names it): a config
   * must not make huashu read /etc/shadow, nor any file the user did not mean as rules.
   */
  private async local(path: string, at: Origin, chain: string[], root: string): Promise<void> {
    const fail = (reason: string) => new RuleError(`extends: '${path}': ${reason}`, at.file, at.line, at.column);
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new RuleError(`extends: '${path}' not found`, at.file, at.line, at.column);
    }
    if (!isInside(path, root)) throw fail(`outside the project (${root}): extends may only name files under the folder of the config's project`);
    if (info.isDirectory()) {
      this.out.extends.push(path);
      return this.addPacks(path, at, root);
    }
    let text: string;
    try {
      text = readRegularFile(path, READ_LIMITS.configBytes).toString('utf8').replace(/^\uFEFF/, '');
    } catch (e) {
      if (e instanceof ReadLimitError) throw fail(e.code === 'EFBIG' ? `too large for a rule pack or config (more than ${READ_LIMITS.configBytes} bytes)` : e.message);
      throw fail(`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (isPackText(text)) {
      this.out.extends.push(path);
      return this.addPacks(path, at);
    }
    const { parseConfig, looksLikeConfig } = await import('./parse.js');
    // Neither a pack nor a config: say so without quoting the file (it is not ours to show).
    if (!looksLikeConfig(text)) throw fail("neither a rule pack (no top-level 'pack:') nor a config (extends, rules, dictionary, ignore, placeholders)");
    await this.config(parseConfig(text, path), chain, at, root);
  }

  /** An npm package whose package.json `huashu` field names its pack files (or folders, or configs). */
  private async npm(name: string, from: string, at: Origin, chain: string[]): Promise<void> {
    let pkgFile: string;
    try {
      pkgFile = createRequire(join(dirname(resolve(from)), 'huashu.config.js')).resolve(`${name}/package.json`);
    } catch {
      throw new RuleError(`extends: cannot find package '${name}' (install it, or write a path as ./${name})`, at.file, at.line, at.column);
    }
    let pkg: { huashu?: unknown };
    try {
      pkg = JSON.parse(readRegularFile(pkgFile, READ_LIMITS.configBytes).toString('utf8')) as { huashu?: unknown };
    } catch {
      throw new RuleError(`extends: package '${name}': cannot read its package.json (${pkgFile})`, at.file, at.line, at.column);
    }
    const entries = typeof pkg.huashu === 'string' ? [pkg.huashu] : pkg.huashu;
    if (!Array.isArray(entries) || entries.length === 0 || !entries.every((e) => typeof e === 'string')) {
      throw new RuleError(`extends: package '${name}' has no "huashu" field naming its rule packs (${pkgFile})`, at.file, at.line, at.column);
    }
    // A package's entries stay inside the package.
    for (const entry of entries as string[]) await this.local(join(dirname(pkgFile), entry), at, chain, dirname(pkgFile));
  }

  /** `at`: the extends entry that named this config (for a cycle's position); `root`: see local(). */
  async config(spec: ConfigSpec, chain: string[] = [], at?: Origin, root?: string): Promise<void> {
    const key = resolve(spec.file);
    if (this.active.has(key)) {
      const message = `extends: circular — ${[...chain, spec.file].join(' → ')}`;
      throw at ? new RuleError(message, at.file, at.line, at.column) : new RuleError(message, spec.file);
    }
    this.active.add(key);
    const dir = dirname(spec.file);
    root ??= projectRoot(dir);
    const names = spec.extends ?? [{ name: DEFAULT_PRESET, at: undefined }];
    for (const { name, at: entry } of names) {
      if (name.startsWith('huashu:')) await this.preset(name, entry, chain);
      else if (isPathLike(name)) await this.local(resolve(dir, name), entry!, [...chain, spec.file], root);
      else await this.npm(name, spec.file, entry!, [...chain, spec.file]);
    }
    this.active.delete(key);
    if (spec.placeholders.length) {
      // Placeholder patterns run over every template: the same backtracking check as a pack's patterns.
      const { checkRegex, backtrackingMessage } = await import('../rules/redos.js');
      for (const [i, pattern] of spec.placeholders.entries()) {
        const verdict = await checkRegex(pattern);
        if (verdict.safe) continue;
        const where = spec.placeholdersAt?.[i];
        const message = `placeholders: ${backtrackingMessage(pattern, verdict)}`;
        throw where ? new RuleError(message, where.file, where.line, where.column) : new RuleError(message, spec.file);
      }
    }
    if (spec.file !== this.out.file) this.out.extends.push(spec.file);
    const own = spec.rules.map((r, i) => ({ r, i })).sort((a, b) => specificity(a.r.selector) - specificity(b.r.selector) || a.i - b.i);
    this.out.rules.push(...own.map(({ r }) => r));
    this.out.dictionary.push(...spec.dictionary.filter((w) => !this.out.dictionary.includes(w)));
    this.out.ignore.push(...spec.ignore.map((pattern) => ({ pattern, base: dir })));
    this.out.placeholders.push(...spec.placeholders.filter((p) => !this.out.placeholders.includes(p)));
    if (spec.audit) this.out.audit = spec.audit;
    for (const d of spec.documents ?? []) {
      const abs = resolve(dir, d);
      // As for extends: a config may only make huashu read (and show) files of its own project.
      if (!isInside(abs, root)) throw new RuleError(`documents: '${d}': outside the project (${root}): documents may only name files under the folder of the config's project`, spec.file);
      if (!this.out.documents.includes(abs)) this.out.documents.push(abs);
    }
    for (const o of spec.overrides ?? []) {
      const rules = o.rules.map((r, i) => ({ r, i })).sort((a, b) => specificity(a.r.selector) - specificity(b.r.selector) || a.i - b.i);
      this.out.overrides.push({ files: o.files, base: dir, ...(o.fields ? { fields: o.fields } : {}), rules: rules.map(({ r }) => r) });
    }
  }
}

/** The effective config of a config file (or of none: the defaults). */
export async function resolveConfig(spec: ConfigSpec | undefined): Promise<ResolvedConfig> {
  const r = new Resolver(spec?.file);
  if (spec) await r.config(spec);
  else await r.preset(DEFAULT_PRESET, undefined, []);
  return r.out;
}

/** The effective setting of a rule: its pack severity, unless an override selects it. */
export function settingFor(rule: { id: string; category: string; pack: string; severity: RuleSetting }, overrides: readonly RuleOverride[]): RuleSetting {
  let setting = rule.severity;
  for (const o of overrides) if (selectsRule(o.selector, rule)) setting = o.setting;
  return setting;
}

export function selectsRule(selector: string, rule: { id: string; category: string; pack: string }): boolean {
  if (selector === rule.id || selector === rule.category || selector === rule.pack) return true;
  return selector.endsWith('/*') && rule.id.startsWith(selector.slice(0, -1));
}
