// The library's one call: lint a text as `huashu lint` lints a file of that name — the reader chosen by
// the path's extension, the config found from the path's folder upward (or given), its overrides for that
// path, placeholders and inline directives. Rules are built once per config and kept (resetLintCache()).
import { join, resolve } from 'node:path';
import type { Finding } from './engine/findings.js';
import type { LintOptions } from './engine/lint.js';
import { ConfigCache, ignoredBy, rulesForConfig, type ConfiguredRules } from './config/index.js';
import { formatOf, type InputFormat } from './inputs/kinds.js';
import { placeholderPatterns } from './inputs/placeholders.js';
import { lintPlainText } from './inputs/plain.js';

/** A config written inline: the keys of huashu.config.yaml (extends, rules, dictionary, ignore, placeholders, overrides). */
export type InlineConfig = Record<string, unknown>;

export interface LintCallOptions extends Omit<LintOptions, 'precedingTurn'> {
  /** The file the text is (or will be): picks the reader by its extension, and the config for its folder. */
  path?: string;
  /**
   * The config: a config file's path (as `--config`), a config written inline (relative `extends` and
   * `ignore` are read from `cwd`), or false for the defaults without looking for a file. Default: the
   * config file found from the path's folder (or `cwd`) upward.
   */
  config?: string | InlineConfig | false;
  /** Extra rule packs on top of the config's (as `--rules`). */
  rules?: readonly string[];
  /** Read the text as this format (default: by the path's extension, plain text when none). */
  format?: InputFormat;
  /** Field paths for JSON and YAML (as `--fields`). */
  fields?: readonly string[];
  /** The folder an inline config (or a text without a path) belongs to; default process.cwd(). */
  cwd?: string;
}

export interface LintCallResult {
  findings: Finding[];
  /** The config file applied (undefined: the defaults or an inline config). */
  configFile?: string;
  /** The config's `ignore` glob that the path matches: nothing was linted. */
  ignored?: string;
}

/** A text that cannot be read as its format (JSON or YAML that does not parse, nesting too deep). */
export class DocumentError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'DocumentError';
  }
}

const caches = new Map<string, ConfigCache>();
const inline = new Map<string, Promise<ConfiguredRules>>();

/** Forget every config and rule set built so far (a long-running caller whose config files changed). */
export function resetLintCache(): void {
  caches.clear();
  inline.clear();
}

async function configuredFor(options: LintCallOptions, path: string | undefined): Promise<ConfiguredRules> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const extra = options.rules ?? [];
  const config = options.config;
  if (config !== undefined && typeof config === 'object' && config !== null) {
    const key = JSON.stringify([cwd, config, extra]);
    let base = inline.get(key);
    if (!base) {
      base = (async () => {
        const [{ parseConfig }, { resolveConfig }] = await Promise.all([import('./config/parse.js'), import('./config/resolve.js')]);
        const resolved = await resolveConfig(parseConfig(JSON.stringify(config), join(cwd, '(inline config)')));
        return rulesForConfig(resolved, extra);
      })();
      inline.set(key, base);
      base.catch(() => inline.delete(key));
    }
    const { forPath } = await import('./config/overrides.js');
    return forPath(await base, path ?? join(cwd, '(text)'));
  }
  const explicit = config === false ? false : config === undefined ? undefined : resolve(cwd, config);
  const key = JSON.stringify([explicit ?? null, extra]);
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new ConfigCache(explicit === false ? undefined : explicit, extra, explicit === false)));
  return cache.rulesFor(path ?? join(cwd, '(text)'));
}

/**
 * Lint `text` with a path and a config applied: `await lint(draft, { path: 'macros/refund.md' })`.
 * Throws RuleError for a config or pack that does not load, DocumentError for a JSON or YAML text that
 * does not parse.
 */
export async function lint(text: string, options: LintCallOptions = {}): Promise<LintCallResult> {
  const path = options.path === undefined ? undefined : resolve(options.cwd ?? process.cwd(), options.path);
  const configured = await configuredFor(options, path);
  const configFile = configured.config.file?.endsWith('(inline config)') ? undefined : configured.config.file;
  if (path !== undefined) {
    const ignored = ignoredBy(configured.config, path);
    if (ignored !== undefined) return { findings: [], configFile, ignored };
  }
  const { path: _path, config: _config, rules: _rules, format: _format, fields: fieldSources, cwd: _cwd, ...lintOptions } = options;
  const placeholders = placeholderPatterns(configured.config.placeholders);
  const format = options.format ?? (path !== undefined ? (formatOf(path) ?? 'text') : 'text');
  if (format === 'text') {
    const plain = lintPlainText(text, configured.set, { ...lintOptions, placeholders });
    if (plain) return { findings: plain, configFile };
  }
  const [{ lintDocument }, { parseFieldPaths }] = await Promise.all([import('./inputs/lint-document.js'), import('./inputs/field-path.js')]);
  const fields = fieldSources?.length ? parseFieldPaths(fieldSources) : undefined;
  const name = path ?? join(resolve(options.cwd ?? process.cwd()), '(text)');
  const result = lintDocument(name, text, configured.set, { ...lintOptions, placeholders, format, fields, ...configured.scoped });
  if ('error' in result) throw new DocumentError(options.path ?? '(text)', result.error);
  return { findings: result.findings, configFile };
}
