// `huashu lint [paths...]`: read drafts, lint them with the built-in (and any extra) rule packs, print a
// report. The engine, the rules and the formatters are imported when the command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RuleSet } from '../rules/compile.js';
import type { Severity } from '../rules/types.js';
import type { FileResult, Formatter } from '../formatters/types.js';
import { expandPaths, isProblem, readTargetBytes, toInput, type Input, type InputProblem } from '../inputs/files.js';
import type { IgnoreRules } from '../repo/ignore.js';
import type { LintCache } from '../repo/cache.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { packageVersion, type GlobalOptions } from './index.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit', 'checkstyle'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface LintCommandOptions {
  format: FormatName;
  rules?: string[];
  only?: string[];
  disable?: string[];
  minSeverity: Severity;
  quiet?: boolean;
  maxWarnings?: number;
  /** Field paths for JSON/YAML files (--fields; a config file's `fields` can be added here). */
  fields?: string[];
  /** Extra placeholder patterns (regular expressions), e.g. from a config file. */
  placeholders?: string[];
  /** Extra ignore patterns (gitignore syntax, relative to cwd), e.g. a config file's `ignore`. */
  ignorePatterns?: string[];
  /** false with --no-ignore: no .huashuignore, .gitignore or ignore patterns. */
  ignore?: boolean;
  outputFile?: string;
  verbose?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  changedSince?: string;
}

const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

/** Repeatable option: every occurrence is kept. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Repeatable, comma-separated option: `--only a,b --only c` is [a, b, c]. */
const collectList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return Number(value);
}

/** Every name given to --only/--disable must select something: a typo would silently lint nothing. */
export async function checkRuleNames(option: string, names: readonly string[], set: RuleSet): Promise<void> {
  const ids = set.rules.map((r) => r.spec.id);
  const known = new Set([...ids, ...set.rules.map((r) => r.spec.category), ...set.rules.map((r) => r.spec.pack)]);
  for (const name of names) {
    if (known.has(name)) continue;
    if (name.endsWith('/*') && ids.some((id) => id.startsWith(name.slice(0, -1)))) continue;
    const { didYouMean } = await import('../rules/errors.js');
    throw new UsageError(`${option}: no rule, category or pack named '${name}'${didYouMean(name, [...known].sort())}`);
  }
}

export function exitCode(results: readonly FileResult[], inputs: readonly Input[], maxWarnings?: number): number {
  const problems = inputs.filter(isProblem);
  // Missing, unreadable or undecodable input: the report is incomplete. Binary files are skipped, unless
  // nothing at all could be linted.
  if (problems.some((p) => p.kind !== 'binary')) return EXIT_USAGE;
  if (inputs.length > 0 && problems.length === inputs.length) return EXIT_USAGE;
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
  }
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** The formatter for a format name, loaded when needed. */
async function formatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case 'json':
      return (await import('../formatters/json.js')).formatJson;
    case 'sarif':
      return (await import('../formatters/sarif.js')).formatSarif;
    case 'github':
      return (await import('../formatters/github.js')).formatGithub;
    case 'junit':
      return (await import('../formatters/junit.js')).formatJunit;
    case 'checkstyle':
      return (await import('../formatters/checkstyle.js')).formatCheckstyle;
    default:
      return (await import('../formatters/stylish.js')).formatStylish;
  }
}

/** Write the report where --output-file says, atomically (temp file, fsync, rename; the old mode kept). */
async function writeReport(path: string, output: string): Promise<void> {
  const [{ mkdir }, { dirname }, { default: writeFileAtomic }] = await Promise.all([import('node:fs/promises'), import('node:path'), import('write-file-atomic')]);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, output, { fsync: true });
  } catch (e) {
    throw new UsageError(`--output-file: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function runLint(paths: string[], options: LintCommandOptions, globals: GlobalOptions): Promise<number> {
  const t0 = performance.now();
  const debug = (what: string) => {
    if (globals.debug) process.stderr.write(`huashu: debug: ${what} (${(performance.now() - t0).toFixed(0)} ms)\n`);
  };
  const verbose = (what: string) => {
    if (options.verbose) process.stderr.write(`huashu: ${what}\n`);
  };
  if (paths.length === 0) {
    if (options.changedSince) paths = ['.'];
    else if (process.stdin.isTTY) throw new UsageError('no input: name files or directories, or pipe text in (see huashu lint --help)');
    else paths = ['-'];
  }

  const [{ parseFieldPaths, FieldPathError }, { placeholderPatterns }] = await Promise.all([import('../inputs/field-path.js'), import('../inputs/placeholders.js')]);
  let fields;
  try {
    fields = parseFieldPaths(options.fields ?? []);
  } catch (e) {
    if (e instanceof FieldPathError) throw new UsageError(`--fields: ${e.message}`);
    throw e;
  }
  let placeholders;
  try {
    placeholders = placeholderPatterns(options.placeholders ?? []);
  } catch (e) {
    throw new UsageError(`placeholder pattern: ${(e as Error).message}`);
  }

  // Which files: paths expanded (ignore files honoured), then, with --changed-since, only changed ones.
  let ignoreRules: IgnoreRules | undefined;
  if (options.ignore !== false) {
    const { IgnoreRules } = await import('../repo/ignore.js');
    ignoreRules = new IgnoreRules({ patterns: options.ignorePatterns });
  }
  let targets = await expandPaths(paths, {
    ignore: ignoreRules,
    onSkip: (s) => {
      // A file named on the command line and ignored is worth a word even without --verbose.
      if (s.named) process.stderr.write(`huashu: warning: ${s.path}: ${s.reason}, not linted (--no-ignore lints it)\n`);
      else verbose(`skipped ${s.path}: ${s.reason}`);
    },
  });
  if (options.changedSince) {
    const [{ changedSince }, { resolve }] = await Promise.all([import('../repo/git.js'), import('node:path')]);
    const changed = new Set((await changedSince(options.changedSince)).map((f) => resolve(f)));
    targets = targets.filter((t) => 'error' in t || t.stdin || changed.has(resolve(t.path)));
    verbose(`--changed-since ${options.changedSince}: ${changed.size} changed file${changed.size === 1 ? '' : 's'}, ${targets.length} to lint`);
  }
  if (options.outputFile) {
    // Last run's report (huashu.sarif.json, report.json) is not a template either.
    const { resolve } = await import('node:path');
    const own = resolve(options.outputFile);
    targets = targets.filter((t) => 'error' in t || t.stdin || resolve(t.path) !== own);
  }
  debug(`found ${targets.length} file${targets.length === 1 ? '' : 's'}`);

  const only = options.only ?? [];
  const disable = options.disable ?? [];
  let minSeverity = options.minSeverity;
  if (options.quiet && SEVERITY_ORDER.indexOf(minSeverity) < SEVERITY_ORDER.indexOf('warning')) minSeverity = 'warning';
  const lintOptions = { only, disable, minSeverity };
  const version = packageVersion();

  // The rules are loaded when first needed: a --cache run where nothing changed never needs them.
  let loaded: RuleSet | undefined;
  const rules = async (): Promise<RuleSet> => {
    if (!loaded) {
      const { loadRules } = await import('../rules/load.js');
      loaded = await loadRules({ packs: options.rules ?? [] });
      debug(`loaded ${loaded.rules.length} rules`);
    }
    return loaded;
  };
  if (only.length || disable.length || !options.cache) {
    const set = await rules();
    await checkRuleNames('--only', only, set);
    await checkRuleNames('--disable', disable, set);
  }

  let cache: LintCache | undefined;
  if (options.cache) {
    const [{ LintCache, defaultCacheLocation, packHashes, settingsHash }, { BUILTIN_RULES_DIR }] = await Promise.all([import('../repo/cache.js'), import('../rules/load.js')]);
    const settings = settingsHash({
      version,
      packs: await packHashes([BUILTIN_RULES_DIR, ...(options.rules ?? [])]),
      lintOptions,
      fields: fields.map((f) => f.source),
      placeholders: placeholders.map((p) => [p.name, String(p.pattern), typeof p.kind === 'function' ? p.kind.toString() : p.kind]),
    });
    cache = await LintCache.open(options.cacheLocation ?? defaultCacheLocation(), settings);
    if (cache.discarded) verbose(`cache ${cache.location}: ${cache.discarded}`);
    // A cache file kept inside the linted tree is not a template.
    const { resolve } = await import('node:path');
    const own = resolve(cache.location);
    targets = targets.filter((t) => 'error' in t || t.stdin || resolve(t.path) !== own);
  }
  const { hashBytes } = cache ? await import('../repo/cache.js') : { hashBytes: undefined };
  let lintDocument: typeof import('../inputs/lint-document.js').lintDocument | undefined;

  const inputs: Input[] = [];
  const results: FileResult[] = [];
  const problem = (p: InputProblem) => {
    inputs.push(p);
    process.stderr.write(`huashu: ${p.kind === 'binary' ? 'warning: ' : ''}${p.path}: ${p.error}\n`);
    results.push({ path: p.path, findings: [], error: p.error });
  };
  for (const target of targets) {
    const raw = await readTargetBytes(target);
    if ('error' in raw) {
      problem(raw);
      continue;
    }
    const input = toInput(raw.path, raw.bytes);
    if (isProblem(input)) {
      problem(input);
      continue;
    }
    const stdin = 'stdin' in target && target.stdin === true;
    const hash = cache && !stdin ? hashBytes!(raw.bytes) : undefined;
    let result = hash ? cache!.get(input.path, hash) : undefined;
    if (!result) {
      lintDocument ??= (await import('../inputs/lint-document.js')).lintDocument;
      result = lintDocument(input.path, input.text, await rules(), { ...lintOptions, fields, placeholders, ...(stdin ? { format: 'text' as const } : {}) });
      if (hash) cache!.set(input.path, hash, result);
    }
    if ('error' in result) {
      problem({ path: input.path, kind: 'syntax', error: result.error });
      continue;
    }
    inputs.push(input);
    results.push({ path: input.path, text: input.text, findings: result.findings });
  }
  debug(`linted ${results.length} file${results.length === 1 ? '' : 's'}${cache ? ` (${cache.hits} from the cache)` : ''}`);
  if (cache) {
    verbose(`cache ${cache.location}: ${cache.hits} unchanged, ${cache.misses} linted`);
    try {
      await cache.save();
    } catch (e) {
      process.stderr.write(`huashu: warning: could not write the cache ${cache.location}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    }
  }

  const format = await formatter(options.format);
  let color = false;
  if (options.format === 'stylish' && !options.outputFile) {
    const { default: chalk } = await import('chalk');
    color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
  }
  // Only SARIF describes the rules: other formats do not make a cached run load them.
  const specs = options.format === 'sarif' ? (await rules()).rules.map((r) => r.spec) : undefined;
  const output = format(results, { color, quiet: options.quiet, rules: specs, version });
  if (options.outputFile) await writeReport(options.outputFile, output);
  else if (output) process.stdout.write(output);

  if (options.maxWarnings !== undefined) {
    const warnings = results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
    if (warnings > options.maxWarnings) {
      process.stderr.write(`huashu: too many warnings (${warnings}); --max-warnings allows ${options.maxWarnings}\n`);
    }
  }
  return exitCode(results, inputs, options.maxWarnings);
}

export function addLintCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('lint')
    .description('check drafts for overpromises, negative wording and blame')
    .argument('[paths...]', 'files, directories (the .txt .md .html .json .yaml files in them), globs, or - for stdin (default: stdin when piped)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FORMATS).default('stylish'))
    .option('-o, --output-file <path>', 'write the report to this file (atomically) instead of standard output')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .addOption(new Option('--min-severity <level>', 'report only findings of this severity or higher').choices(SEVERITY_ORDER).default('info'))
    .option('-q, --quiet', 'hide info-level findings, and print nothing when there is nothing to report')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger)
    .option('--fields <path>', 'in JSON/YAML files, lint the strings at this path, e.g. "macros[*].actions[?field=comment_value].value"; repeatable', collect)
    .option('--changed-since <git-ref>', 'lint only files changed since the branch left this ref (and uncommitted ones)')
    .option('--cache', 'lint only files whose content changed since the last --cache run (same rules and options)')
    .option('--cache-location <file>', 'the cache file (default: node_modules/.cache/huashu/lint.json, or .huashucache)')
    .option('--no-ignore', 'do not honour .huashuignore and .gitignore files')
    .option('--verbose', 'on stderr, list files passed over (ignored, unknown kinds) and cache use')
    .addHelpText(
      'after',
      `
Exit codes: 0 no error-level finding, 1 an error-level finding (or too many warnings),
            2 usage, rule pack or input error (missing file, invalid UTF-8, …).

Formats: stylish (people), json, sarif (code scanning), github (Actions annotations), junit, checkstyle.

Examples:
  huashu lint fixtures/drafts/
  huashu lint --format json reply.txt
  huashu lint --format sarif --output-file huashu.sarif macros/
  huashu lint --changed-since origin/main --format github
  huashu lint --fields 'macros[*].actions[?field=comment_value].value' export.json
  echo '您的包裹一定會在明天送到,我保證。' | huashu lint -`,
    )
    .action(async (paths: string[], options: LintCommandOptions, command: Command) => {
      setExitCode(await runLint(paths, options, command.optsWithGlobals<GlobalOptions & LintCommandOptions>()));
    });
}
