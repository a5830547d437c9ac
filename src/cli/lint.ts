// `huashu lint [paths...]`: read drafts, lint them with the built-in (and any extra) rule packs, print a
// report. The engine, the rules and the formatters are imported when the command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RuleSet } from '../rules/compile.js';
import type { RuleSpec, Severity } from '../rules/types.js';
import type { ChunkFormatter, FileResult } from '../formatters/types.js';
import { expandPaths, isProblem, readTargetBytes, toInput, type Input, type InputProblem } from '../inputs/files.js';
import type { IgnoreRules } from '../repo/ignore.js';
import type { LintCache } from '../repo/cache.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import type { OutputTarget } from './outputs.js';
import { printable } from './printable.js';
import { packageVersion, type GlobalOptions } from './index.js';

export const FORMATS = ['stylish', 'json', 'compact', 'sarif', 'rdjson', 'github', 'junit', 'checkstyle'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface LintCommandOptions {
  format: FormatName;
  rules?: string[];
  only?: string[];
  disable?: string[];
  minSeverity: Severity;
  quiet?: boolean;
  errorsOnly?: boolean;
  maxWarnings?: number;
  config?: string;
  reportUnusedDirectives?: boolean;
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
  /** A path, false with --no-review-file, undefined: .huashu-review.json from here upward. */
  reviewFile?: string | false;
  /** Standard input is linted as the file of this name: its reader, its config, its name in the report. */
  stdinFilename?: string;
  /** sarif, github, rdjson: paths relative to this directory (default: the git repository root, else cwd). */
  basePath?: string;
  maxAnnotations?: number;
  /** --fix / --fix-dry-run: run `huashu fix` (or `fix --dry-run`) instead. */
  fix?: boolean;
  fixDryRun?: boolean;
}

const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

/** Repeatable option: every occurrence is kept. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Repeatable, comma-separated option: `--only a,b --only c` is [a, b, c]. */
export const collectList = (value: string, previous: string[] = []) => [
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
async function formatter(name: FormatName): Promise<ChunkFormatter> {
  switch (name) {
    case 'json':
      return (await import('../formatters/json.js')).jsonChunks;
    case 'sarif':
      return (await import('../formatters/sarif.js')).sarifChunks;
    case 'github':
      return (await import('../formatters/github.js')).githubChunks;
    case 'junit':
      return (await import('../formatters/junit.js')).junitChunks;
    case 'checkstyle':
      return (await import('../formatters/checkstyle.js')).checkstyleChunks;
    case 'compact':
      return (await import('../formatters/compact.js')).compactChunks;
    case 'rdjson':
      return (await import('../formatters/rdjson.js')).rdjsonChunks;
    default:
      return (await import('../formatters/stylish.js')).stylishChunks;
  }
}

/** The report's pieces gathered into blocks of about 64 KB: one write per block, not per finding. */
function* blocks(chunks: Iterable<string>): Generator<string> {
  let block = '';
  for (const chunk of chunks) {
    block += chunk;
    if (block.length >= 1 << 16) {
      yield block;
      block = '';
    }
  }
  if (block) yield block;
}

/** Write the report to standard output as it is made, waiting whenever the pipe is full. */
async function writeToStdout(chunks: Iterable<string>): Promise<void> {
  for (const block of blocks(chunks)) {
    if (!process.stdout.write(block)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

/**
 * Write the report where --output-file says, as it is made: a regular file atomically (temp file, fsync,
 * rename; the old mode kept), a device or FIFO directly, `-` and /dev/stdout to standard output.
 */
async function writeReport(target: OutputTarget, chunks: Iterable<string>): Promise<void> {
  if (target.kind === 'stdout') return writeToStdout(chunks);
  const [{ mkdir, writeFile }, { dirname }, { writeFileAtomic }] = await Promise.all([import('node:fs/promises'), import('node:path'), import('../inputs/write.js')]);
  async function* bytes() {
    for (const block of blocks(chunks)) yield Buffer.from(block, 'utf8');
  }
  try {
    if (target.kind === 'special') await writeFile(target.target, bytes());
    else {
      await mkdir(dirname(target.path), { recursive: true });
      await writeFileAtomic(target.path, bytes());
    }
  } catch (e) {
    throw new UsageError(`--output-file: cannot write ${target.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function runLint(paths: string[], options: LintCommandOptions, globals: GlobalOptions): Promise<number> {
  // process.hrtime, not performance.now(): the first use of `performance` loads perf_hooks (~2 ms).
  const t0 = process.hrtime.bigint();
  const debug = (what: string) => {
    if (globals.debug) process.stderr.write(`huashu: debug: ${what} (${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms)\n`);
  };
  const verbose = (what: string) => {
    if (options.verbose) process.stderr.write(`huashu: ${printable(what)}\n`);
  };
  if (paths.length === 0) {
    if (options.changedSince) paths = ['.'];
    else if (process.stdin.isTTY) throw new UsageError('no input: name files or directories, or pipe text in (see huashu lint --help)');
    else paths = ['-'];
  }
  const stdinName = options.stdinFilename;
  if (stdinName !== undefined && !paths.includes('-')) throw new UsageError('--stdin-filename: names standard input, which is not being linted (give - or pipe text in with no paths)');
  if (stdinName === '') throw new UsageError('--stdin-filename: expected a file name');

  // What every lint goes on to load, asked for now: the loader reads those files while the config and the
  // rules are read, not one after another later (a failure shows where the module is awaited).
  const prefetched: Promise<unknown>[] = [import('../inputs/kinds.js'), import('../inputs/plain.js'), formatter(options.format)];
  if (options.ignore !== false) prefetched.push(import('../repo/ignore.js'));
  for (const p of prefetched) p.catch(() => {});

  const [{ parseFieldPaths, FieldPathError }, { placeholderPatterns }, { ConfigCache, ignoredBy }] = await Promise.all([
    import('../inputs/field-path.js'),
    import('../inputs/placeholders.js'),
    import('../config/index.js'),
  ]);
  let fields;
  try {
    fields = parseFieldPaths(options.fields ?? []);
  } catch (e) {
    if (e instanceof FieldPathError) throw new UsageError(`--fields: ${e.message}`);
    throw e;
  }
  // Placeholder patterns: the command line's, plus each config's own (compiled once per config).
  const placeholderSets = new Map<string, ReturnType<typeof placeholderPatterns>>();
  const placeholdersFor = (extra: readonly string[]) => {
    const all = [...(options.placeholders ?? []), ...extra];
    const key = JSON.stringify(all);
    let set = placeholderSets.get(key);
    if (!set) {
      try {
        set = placeholderPatterns(all);
      } catch (e) {
        throw new UsageError(`placeholder pattern: ${(e as Error).message}`);
      }
      placeholderSets.set(key, set);
    }
    return set;
  };
  placeholdersFor([]);

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
      if (s.named) process.stderr.write(`huashu: warning: ${printable(s.path)}: ${s.reason}, not linted (--no-ignore lints it)\n`);
      else verbose(`skipped ${s.path}: ${s.reason}`);
    },
  });
  {
    // huashu's own config files sit among the templates but are not replies.
    const { CONFIG_FILES } = await import('../config/index.js');
    const { basename } = await import('node:path');
    targets = targets.filter((t) => {
      if ('error' in t || t.stdin || !(CONFIG_FILES as readonly string[]).includes(basename(t.path))) return true;
      verbose(`skipped ${t.path}: a huashu config file`);
      return false;
    });
  }
  if (options.changedSince) {
    const [{ changedSince }, { resolve }] = await Promise.all([import('../repo/git.js'), import('node:path')]);
    const changed = new Set((await changedSince(options.changedSince)).map((f) => resolve(f)));
    targets = targets.filter((t) => 'error' in t || t.stdin || changed.has(resolve(t.path)));
    verbose(`--changed-since ${options.changedSince}: ${changed.size} changed file${changed.size === 1 ? '' : 's'}, ${targets.length} to lint`);
  }
  let output: OutputTarget | undefined;
  if (options.outputFile) {
    // Checked before any linting: a directory is an error now, and a draft named as the report is refused
    // (the report would replace it). Last run's report found in a directory is not a template: left out.
    const { resolveOutput, inputsAmongOutputs } = await import('./outputs.js');
    output = await resolveOutput('--output-file', options.outputFile);
    const own = await inputsAmongOutputs([output], targets.filter((t): t is { path: string; named?: boolean } => !('error' in t) && !t.stdin));
    targets = targets.filter((t) => 'error' in t || t.stdin || !own.has(t.path));
  }
  debug(`found ${targets.length} file${targets.length === 1 ? '' : 's'}`);

  const only = options.only ?? [];
  const disable = options.disable ?? [];
  let minSeverity = options.minSeverity;
  if (options.quiet && SEVERITY_ORDER.indexOf(minSeverity) < SEVERITY_ORDER.indexOf('warning')) minSeverity = 'warning';
  if (options.errorsOnly) minSeverity = 'error';
  const lintOptions = { only, disable, minSeverity, reportUnusedDirectives: options.reportUnusedDirectives };
  const version = packageVersion();

  // Each file gets the config found from its folder upward (or --config); rules are built once per config,
  // and only when first needed: a --cache run where nothing changed never loads them.
  const configs = new ConfigCache(options.config, options.rules ?? []);
  const checked = new Set<RuleSet>();
  const rulesFor = async (path: string | undefined) => {
    const configured = await configs.rulesFor(path);
    if (!checked.has(configured.set)) {
      checked.add(configured.set);
      await checkRuleNames('--only', only, configured.set);
      await checkRuleNames('--disable', disable, configured.set);
      debug(`loaded ${configured.set.rules.length} rules (config: ${configured.config.file ?? 'none, huashu:recommended'})`);
    }
    return configured;
  };
  if (options.config || only.length || disable.length || !options.cache) await rulesFor(undefined);
  // The team's own training documents (config `documents:`): their model replies join the alternatives of
  // matching findings. Read once per config; a run without a config file has none.
  const libraries = new Map<object, Promise<import('../explain/team-docs.js').TeamLibrary | undefined>>();
  const teamAlternativesFor = async (path: string | undefined, text: string, findings: import('../engine/findings.js').Finding[]): Promise<import('../engine/findings.js').Finding[]> => {
    if (findings.length === 0 || (await configs.fileFor(path)) === undefined) return findings;
    const configured = await rulesFor(path);
    if (configured.config.documents.length === 0) return findings;
    let library = libraries.get(configured);
    if (!library) {
      library = (async () => {
        const { loadTeamLibrary } = await import('../explain/team-docs.js');
        const lib = await loadTeamLibrary(configured.config.documents, configured.set);
        for (const p of lib.problems) process.stderr.write(`huashu: warning: ${printable(p.path)}: ${p.error} (a team document; huashu docs lists them)\n`);
        return lib;
      })();
      libraries.set(configured, library);
    }
    const { withTeamAlternatives } = await import('../explain/team-docs.js');
    return withTeamAlternatives(await library, findings, text);
  };

  let cache: LintCache | undefined;
  if (options.cache) {
    const [{ LintCache, defaultCacheLocation, packHashes, settingsHash }, { BUILTIN_RULES_DIR }] = await Promise.all([import('../repo/cache.js'), import('../rules/load.js')]);
    const settings = settingsHash({
      version,
      packs: await packHashes([BUILTIN_RULES_DIR, ...(options.rules ?? [])]),
      lintOptions,
      config: options.config ?? null,
      fields: fields.map((f) => f.source),
      placeholders: placeholdersFor([]).map((p) => [p.name, String(p.pattern), typeof p.kind === 'function' ? p.kind.toString() : p.kind]),
    });
    cache = await LintCache.open(options.cacheLocation ?? defaultCacheLocation(), settings);
    if (cache.discarded) verbose(`cache ${cache.location}: ${cache.discarded}`);
    // A cache file kept inside the linted tree is not a template.
    const { resolve } = await import('node:path');
    const own = resolve(cache.location);
    targets = targets.filter((t) => 'error' in t || t.stdin || resolve(t.path) !== own);
  }
  const cacheTools = cache ? await import('../repo/cache.js') : undefined;
  // A file's cache entry also depends on its config and the packs that config adds.
  const configKeys = new Map<string, string>();
  const configKey = async (path: string) => {
    const [{ findConfigFile }, { dirname, resolve }] = await Promise.all([import('../config/index.js'), import('node:path')]);
    const file = options.config ?? (await findConfigFile(dirname(resolve(path)))) ?? '';
    let key = configKeys.get(file);
    if (key === undefined) {
      const { readFile } = await import('node:fs/promises');
      const configured = await rulesFor(path);
      const texts = await Promise.all([file, ...configured.config.packs].filter(Boolean).map((f) => readFile(f).catch(() => Buffer.from(''))));
      key = cacheTools!.hashBytes(Buffer.concat([Buffer.from(file), ...texts]));
      configKeys.set(file, key);
    }
    return key;
  };
  let lintDocument: typeof import('../inputs/lint-document.js').lintDocument | undefined;
  let lintPlainText: typeof import('../inputs/plain.js').lintPlainText | undefined;
  const { formatOf } = await import('../inputs/kinds.js');

  const inputs: Input[] = [];
  const results: FileResult[] = [];
  const problem = (p: InputProblem) => {
    inputs.push(p);
    process.stderr.write(`huashu: ${p.kind === 'binary' ? 'warning: ' : ''}${printable(`${p.path}: ${p.error}`)}\n`);
    results.push({ path: p.path, findings: [], error: p.error });
  };
  for (const target of targets) {
    const stdin = 'stdin' in target && target.stdin === true;
    if (stdin && stdinName !== undefined) {
      // Standard input as the file it will be saved as: that file's config, and its `ignore`.
      const configured = await rulesFor(stdinName);
      const ignored = ignoredBy(configured.config, stdinName);
      if (ignored !== undefined) {
        process.stderr.write(`huashu: warning: ${printable(`${stdinName}: ignored by ${configured.config.file} (ignore: '${ignored}')`)}\n`);
        continue;
      }
    }
    if (!('error' in target) && !stdin && !cache) {
      // A config's own `ignore` globs, checked before reading the file at all.
      const configured = await rulesFor(target.path);
      const ignored = ignoredBy(configured.config, target.path);
      if (ignored !== undefined) {
        if (paths.includes(target.path)) process.stderr.write(`huashu: warning: ${printable(`${target.path}: ignored by ${configured.config.file} (ignore: '${ignored}')`)}\n`);
        else verbose(`skipped ${target.path}: ignored by ${configured.config.file}`);
        continue;
      }
      // The team's training documents hold wrong examples on purpose: not replies, unless named.
      if (configured.config.documents.length && !paths.includes(target.path)) {
        const { resolve } = await import('node:path');
        if (configured.config.documents.includes(resolve(target.path))) {
          verbose(`skipped ${target.path}: a team training document (documents: in ${configured.config.file})`);
          continue;
        }
      }
    }
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
    const hash = cache && !stdin ? `${cacheTools!.hashBytes(raw.bytes)}:${await configKey(input.path)}` : undefined;
    let result = hash ? cache!.get(input.path, hash, input.text) : undefined;
    if (!result) {
      const configured = await rulesFor(stdin ? stdinName : input.path);
      if (!stdin && cache) {
        const ignored = ignoredBy(configured.config, input.path);
        if (ignored !== undefined) {
          verbose(`skipped ${input.path}: ignored by ${configured.config.file}`);
          continue;
        }
      }
      const placeholders = placeholdersFor(configured.config.placeholders);
      // The rules the config turns off never fire in its set: a field scope may turn one back on.
      const fileOptions = lintOptions;
      const format = stdin ? (stdinName !== undefined ? (formatOf(stdinName) ?? 'text') : 'text') : (formatOf(input.path) ?? 'text');
      // Plain text, the common case, without loading the template readers.
      lintPlainText ??= (await import('../inputs/plain.js')).lintPlainText;
      const plain = format === 'text' ? lintPlainText(input.text, configured.set, { ...fileOptions, placeholders }) : undefined;
      if (plain) result = { findings: plain };
      else {
        lintDocument ??= (await import('../inputs/lint-document.js')).lintDocument;
        result = lintDocument(stdin && stdinName !== undefined ? stdinName : input.path, input.text, configured.set, { ...fileOptions, fields, placeholders, format, ...configured.scoped });
      }
      if (hash) cache!.set(input.path, hash, result);
    }
    const shownPath = stdin && stdinName !== undefined ? stdinName : input.path;
    if ('error' in result) {
      problem({ path: shownPath, kind: 'syntax', error: result.error });
      continue;
    }
    inputs.push(input);
    results.push({ path: shownPath, text: input.text, findings: await teamAlternativesFor(stdin ? undefined : input.path, input.text, result.findings) });
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

  // Findings reviewers rejected for this very reply (huashu review import): counted apart, not shown.
  if (options.reviewFile !== false) {
    const { suppressLintFindings } = await import('./review-lint.js');
    await suppressLintFindings(results, options.reviewFile);
  }

  const format = await formatter(options.format);
  let color = false;
  if (options.format === 'stylish' && (!output || output.kind === 'stdout')) {
    const { default: chalk } = await import('chalk');
    color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
  }
  if (options.format === 'stylish') {
    // The stylish report measures cell widths of the lines it quotes (string-width only beyond CJK/ASCII).
    const { loadCellWidths } = await import('../formatters/stylish.js');
    await loadCellWidths(results.map((r) => r.text));
  }
  // Only SARIF describes the rules: other formats do not make a cached run load them.
  let specs: RuleSpec[] | undefined;
  if (options.format === 'sarif') {
    if (checked.size === 0) await rulesFor(undefined);
    const byId = new Map<string, RuleSpec>();
    for (const set of checked) for (const r of set.rules) if (!byId.has(r.spec.id)) byId.set(r.spec.id, r.spec);
    specs = [...byId.values()];
  }
  // CI formats name files from the repository root (where code scanning and annotations look for them).
  let basePath: string | undefined;
  if (options.format === 'sarif' || options.format === 'github' || options.format === 'rdjson') {
    const { repositoryRoot } = await import('../formatters/paths.js');
    basePath = options.basePath ?? repositoryRoot();
  }
  const { ruleHelpUri } = await import('../formatters/help-uri.js');
  const formatOptions = { color, quiet: options.quiet, rules: specs, version, basePath, maxAnnotations: options.maxAnnotations, helpUri: ruleHelpUri };
  // Written as it is made: a report with a million findings is never one string.
  const report = format(results, formatOptions);
  if (output) await writeReport(output, report);
  else await writeToStdout(report);
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (options.format === 'github' && summaryFile) {
    const [{ appendFile }, { stepSummary }] = await Promise.all([import('node:fs/promises'), import('../formatters/github.js')]);
    try {
      await appendFile(summaryFile, [...stepSummary(results, formatOptions)].join(''));
    } catch (e) {
      process.stderr.write(`huashu: warning: could not write the step summary $GITHUB_STEP_SUMMARY (${printable(summaryFile)}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    }
  }

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
    .option('-c, --config <file>', 'use this config file for every input (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from each file\'s folder upward)')
    .option('-o, --output-file <path>', 'write the report to this file (atomically; a device or FIFO directly; - is standard output), never over a draft')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .addOption(new Option('--min-severity <level>', 'report only findings of this severity or higher').choices(SEVERITY_ORDER).default('info'))
    .option('-q, --quiet', 'hide info-level findings, and print nothing when there is nothing to report (warnings stay: see --errors-only)')
    .option('--errors-only', 'report error-level findings only (what ESLint\'s --quiet does); as --min-severity error')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger)
    .option('--report-unused-directives', 'warn about huashu-disable comments that suppress nothing')
    .option('--fields <path>', 'in JSON/YAML files, lint the strings at this path, e.g. "macros[*].actions[?field=comment_value].value"; repeatable', collect)
    .option('--changed-since <git-ref>', 'lint only files changed since the branch left this ref (and uncommitted ones)')
    .option('--cache', 'lint only files whose content changed since the last --cache run (same rules and options)')
    .option('--cache-location <file>', 'the cache file (default: node_modules/.cache/huashu/lint.json, or .huashucache)')
    .option('--no-ignore', 'do not honour .huashuignore and .gitignore files')
    .option('--verbose', 'on stderr, list files passed over (ignored, unknown kinds) and cache use')
    .option('--review-file <path>', "reviewers' verdicts: findings rejected for a reply are not shown (default: .huashu-review.json here or in a folder above)")
    .option('--no-review-file', "ignore reviewers' verdicts")
    .option('--stdin-filename <path>', 'lint standard input as this file: its reader (by extension), its config, its name in the report')
    .option('--base-path <dir>', 'sarif, github, rdjson: paths relative to this directory (default: the git repository root, else the working directory)')
    .option('--max-annotations <n>', `github: at most n annotations, errors first, then a notice saying how many more (default: 50)`, nonNegativeInteger)
    .option('--fix', 'apply the safe replacements instead of reporting: the same as huashu fix')
    .option('--fix-dry-run', 'print the diff of the safe replacements instead of reporting: the same as huashu fix --dry-run')
    .addHelpText(
      'after',
      `
Exit codes: 0 no error-level finding, 1 an error-level finding (or too many warnings),
            2 usage, rule pack or input error (missing file, invalid UTF-8, …).

Formats: stylish (people), json, compact (file:line:col: severity message [rule], for editors),
         sarif (code scanning), rdjson (reviewdog), github (Actions annotations; a job summary table
         when $GITHUB_STEP_SUMMARY is set), junit, checkstyle.

Examples:
  huashu lint fixtures/drafts/
  huashu lint --format json reply.txt
  huashu lint --format sarif --output-file huashu.sarif macros/
  huashu lint --changed-since origin/main --format github
  huashu lint --fields 'macros[*].actions[?field=comment_value].value' export.json
  huashu lint --format compact --stdin-filename macros/refund.md < buffer.md
  huashu lint --format rdjson macros/ | reviewdog -f=rdjson -reporter=github-pr-review
  echo '您的包裹一定會在明天送到,我保證。' | huashu lint -`,
    )
    .action(async (paths: string[], options: LintCommandOptions, command: Command) => {
      if (options.fix || options.fixDryRun) {
        // ESLint's spelling of `huashu fix`: the same command, with the options fix has.
        const { runFix } = await import('./fix.js');
        const fixOptions = { dryRun: options.fixDryRun === true && !options.fix, format: options.format === 'json' ? ('json' as const) : ('text' as const), rules: options.rules, only: options.only, disable: options.disable };
        setExitCode(await runFix(paths, fixOptions, command.optsWithGlobals<GlobalOptions>()));
        return;
      }
      setExitCode(await runLint(paths, options, command.optsWithGlobals<GlobalOptions & LintCommandOptions>()));
    });
}
