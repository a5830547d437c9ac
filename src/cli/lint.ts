// `huashu lint [paths...]`: read drafts, lint them with the built-in (and any extra) rule packs, print a
// report. The engine, the rules and the formatters are imported when the command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RuleSet } from '../rules/compile.js';
import type { Severity } from '../rules/types.js';
import type { FileResult } from '../formatters/types.js';
import { isProblem, readTarget, expandPaths, type Input } from '../inputs/files.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import type { GlobalOptions } from './index.js';

export const FORMATS = ['stylish', 'json'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface LintCommandOptions {
  format: FormatName;
  rules?: string[];
  only?: string[];
  disable?: string[];
  minSeverity: Severity;
  quiet?: boolean;
  maxWarnings?: number;
  config?: string;
  reportUnusedDirectives?: boolean;
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

async function runLint(paths: string[], options: LintCommandOptions, globals: GlobalOptions): Promise<number> {
  const t0 = performance.now();
  const debug = (what: string) => {
    if (globals.debug) process.stderr.write(`huashu: debug: ${what} (${(performance.now() - t0).toFixed(0)} ms)\n`);
  };
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: name files or directories, or pipe text in (see huashu lint --help)');
    paths = ['-'];
  }

  const [{ ConfigCache, ignoredBy }, { lintText }] = await Promise.all([import('../config/index.js'), import('../engine/lint.js')]);
  const only = options.only ?? [];
  const disable = options.disable ?? [];
  // Each file gets the config found from its folder upward (or --config); rules are built once per config.
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
  if (options.config) await rulesFor(undefined);

  let minSeverity = options.minSeverity;
  if (options.quiet && SEVERITY_ORDER.indexOf(minSeverity) < SEVERITY_ORDER.indexOf('warning')) minSeverity = 'warning';

  const inputs: Input[] = [];
  const results: FileResult[] = [];
  for (const target of await expandPaths(paths)) {
    const stdin = 'stdin' in target && target.stdin === true;
    const configured = 'error' in target ? undefined : await rulesFor(stdin ? undefined : target.path);
    const ignored = configured && !stdin ? ignoredBy(configured.config, target.path) : undefined;
    if (ignored !== undefined) {
      // Files found under a folder are skipped quietly; a file named on purpose deserves a word.
      if (paths.includes(target.path)) process.stderr.write(`huashu: warning: ${target.path}: ignored by ${configured!.config.file} (ignore: '${ignored}')\n`);
      continue;
    }
    const input = await readTarget(target);
    inputs.push(input);
    if (isProblem(input)) {
      process.stderr.write(`huashu: ${input.kind === 'binary' ? 'warning: ' : ''}${input.path}: ${input.error}\n`);
      results.push({ path: input.path, findings: [], error: input.error });
    } else {
      const lintOptions = { only, disable: [...disable, ...configured!.off], minSeverity, reportUnusedDirectives: options.reportUnusedDirectives };
      results.push({ path: input.path, text: input.text, findings: lintText(input.text, configured!.set, lintOptions) });
    }
  }
  debug(`linted ${results.length} file${results.length === 1 ? '' : 's'}`);

  let output: string;
  if (options.format === 'json') {
    const { formatJson } = await import('../formatters/json.js');
    output = formatJson(results);
  } else {
    const [{ formatStylish, loadCellWidths }, { default: chalk }] = await Promise.all([import('../formatters/stylish.js'), import('chalk')]);
    await loadCellWidths(results.map((r) => r.text));
    const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
    output = formatStylish(results, { color, quiet: options.quiet });
  }
  if (output) process.stdout.write(output);

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
    .argument('[paths...]', 'files, directories (their .txt and .md files), globs, or - for stdin (default: stdin when piped)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FORMATS).default('stylish'))
    .option('-c, --config <file>', 'use this config file for every input (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from each file\'s folder upward)')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .addOption(new Option('--min-severity <level>', 'report only findings of this severity or higher').choices(SEVERITY_ORDER).default('info'))
    .option('-q, --quiet', 'hide info-level findings, and print nothing when there is nothing to report')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', nonNegativeInteger)
    .option('--report-unused-directives', 'warn about huashu-disable comments that suppress nothing')
    .addHelpText(
      'after',
      `
Exit codes: 0 no error-level finding, 1 an error-level finding (or too many warnings),
            2 usage, rule pack or input error (missing file, invalid UTF-8, …).

Examples:
  huashu lint fixtures/drafts/
  huashu lint --format json reply.txt
  echo '您的包裹一定會在明天送到,我保證。' | huashu lint -`,
    )
    .action(async (paths: string[], options: LintCommandOptions, command: Command) => {
      setExitCode(await runLint(paths, options, command.optsWithGlobals<GlobalOptions & LintCommandOptions>()));
    });
}
