// `huashu audit [paths...]`: batch-audit transcript exports (CSV, TSV, JSON lines, JSON arrays, .gz)
// — the agent replies only — and report totals, findings, errors, a summary and an HTML report.
import { fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { OutputSink } from '../audit/outputs.js';
import type { Severity } from '../rules/types.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { printable } from './printable.js';
import { compileRegexpsAtFirstRun } from './regex-tiering.js';
import type { GlobalOptions } from './index.js';
import { addAuditMergeCommand } from './audit-merge.js';
import { checkRuleNames, collect, collectList } from './lint.js';
import { thousands } from '../formatters/thousands.js';

const OUTPUT_FORMATS = ['table', 'json', 'jsonl'] as const;
const INPUT_FORMATS = ['csv', 'tsv', 'jsonl', 'json'] as const;
const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

interface AuditCommandOptions {
  config?: string;
  stdin?: boolean;
  inputFormat?: (typeof INPUT_FORMATS)[number];
  encoding?: string;
  text?: string;
  role?: string;
  agentRole?: string[];
  customerRole?: string[];
  conversation?: string;
  agent?: string;
  time?: string;
  turn?: string;
  team?: string;
  queue?: string;
  previous?: string;
  out?: string;
  errors?: string;
  summary?: string;
  report?: string;
  scores?: string;
  format: (typeof OUTPUT_FORMATS)[number];
  jobs: number;
  batchSize: number;
  rules?: string[];
  only?: string[];
  disable?: string[];
  minSeverity: Severity;
  quiet?: boolean;
  inputName?: string;
  columns?: string[];
  id?: string[];
  part?: string;
  offset?: number;
  reviewSample?: number;
  seed?: string;
  review?: string;
  /** A path, false with --no-review-file, undefined: .huashu-review.json from here upward. */
  reviewFile?: string | false;
}

/** Is standard input a regular file (`< export.jsonl`), rather than a pipe, socket or terminal? */
function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return Number(value);
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return Number(value);
}

async function runAuditCommand(paths: string[], options: AuditCommandOptions, globals: GlobalOptions): Promise<number> {
  const t0 = performance.now();
  compileRegexpsAtFirstRun();
  const filter = options.format === 'jsonl';
  if (options.stdin) paths = [...paths, '-'];
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: name export files or directories, or pipe one in with --stdin (see huashu audit --help)');
    paths = ['-'];
  }
  // Each linting thread holds its own dictionary and rules (~40 MB): more threads than cores only cost
  // memory (--jobs 32 took 2.1 GB; a huge number aborted V8).
  const cores = availableParallelism();
  let jobs = options.jobs;
  if (jobs > cores) {
    if (!options.quiet && !filter) process.stderr.write(`huashu: note: --jobs ${jobs} is more than the ${cores} CPU${cores === 1 ? '' : 's'} here: using ${cores}\n`);
    jobs = cores;
  }
  const { isKnownEncoding, isSupportedEncoding } = await import('../audit/decode.js');
  if (options.encoding !== undefined && !isKnownEncoding(options.encoding)) {
    throw new UsageError(`--encoding: unknown encoding '${options.encoding}' (try utf-8, utf-16le, gb18030, gbk, big5)`);
  }
  if (options.encoding !== undefined && !isSupportedEncoding(options.encoding)) {
    throw new UsageError(`--encoding: unsupported encoding '${options.encoding}': exports must be in an encoding that keeps ASCII as it is, or UTF-16 (utf-8, utf-16le, gb18030, gbk, big5, …)`);
  }

  // Every output is checked before any work: a directory, two outputs naming one file, or an output that
  // is also an input is a usage error now, not a lost file (or an internal error) after the run.
  const { resolveOutputs, inputsAmongOutputs } = await import('./outputs.js');
  if (options.reviewSample !== undefined && options.review === undefined) throw new UsageError('--review-sample: name the review sheet to write with --review sheet.csv');
  if (options.seed !== undefined && options.review === undefined) throw new UsageError('--seed: it seeds the review sample, which needs --review sheet.csv');
  const { reviewPageName, loadSuppressions } = await import('./review.js');
  const outputs = await resolveOutputs([
    { option: '--out', path: options.out },
    { option: '--errors', path: options.errors },
    { option: '--summary', path: options.summary },
    { option: '--report', path: options.report },
    { option: '--review', path: options.review },
    { option: '--review (its HTML page)', path: options.review === undefined ? undefined : reviewPageName(options.review) },
    { option: '--scores', path: options.scores },
  ]);
  const toStdout = outputs.find((o) => o.kind === 'stdout');
  if (toStdout && options.format !== 'table') {
    throw new UsageError(`${toStdout.option} ${toStdout.path} and --format ${options.format} both write to standard output: name a file for one of them`);
  }

  const [{ runAudit }, { AtomicFile, DirectFile, StdoutSink }, { expandAuditPaths }, { STDIN_NAME }] = await Promise.all([
    import('../audit/run.js'),
    import('../audit/outputs.js'),
    import('../audit/paths.js'),
    import('../audit/source.js'),
  ]);
  const quiet = options.quiet || filter;
  // Notes name files, columns and roles as the export spells them: no control character gets through.
  const note = quiet ? () => {} : (message: string) => process.stderr.write(`huashu: ${printable(message)}\n`);
  let targets = await expandAuditPaths(paths);
  const own = await inputsAmongOutputs(outputs, targets.filter((t): t is { path: string; named?: boolean } => !('error' in t) && t.path !== STDIN_NAME));
  if (own.size > 0) {
    for (const path of own) note(`${path}: an output of this run, not audited`);
    targets = targets.filter((t) => !own.has(t.path));
  }

  if (options.team !== undefined && options.queue !== undefined && options.team !== options.queue) {
    throw new UsageError(`--team ${options.team} and --queue ${options.queue} name two columns for one thing: give one of them`);
  }
  // --previous is read before the run: a wrong file is a usage error now, not after an hour's audit.
  const previous = options.previous === undefined ? undefined : await readSummary(options.previous, '--previous');

  const packs = options.rules ?? [];
  // The config of the working directory (found from it upward), or --config: its packs, severities and
  // `off`, in every thread (the workers load the same config file).
  const { ConfigCache } = await import('../config/index.js');
  const configs = new ConfigCache(options.config, packs);
  const configFile = await configs.fileFor(undefined);
  const configured = await configs.rulesFor(undefined);
  const set = configured.set;
  const scoring = await scoringFor(options.config, set);
  const only = options.only ?? [];
  const disable = [...(options.disable ?? []), ...configured.off];
  await checkRuleNames('--only', only, set);
  await checkRuleNames('--disable', options.disable ?? [], set);

  // Reviewers' verdicts: findings they rejected on a reply are counted apart; a sample for the next review.
  const suppressions = await loadSuppressions(options.reviewFile);
  let sampler;
  let review;
  if (options.review !== undefined || suppressions) {
    const { ReviewSampler, reviewHook } = await import('../audit/review.js');
    if (options.review !== undefined) sampler = new ReviewSampler(options.reviewSample ?? 20, options.seed ?? '1');
    review = reviewHook(suppressions, sampler);
  }

  // Output files appear only when the run completes (atomic rename); a failed run leaves the old ones.
  const stdout = new StdoutSink();
  const sinks: OutputSink[] = [];
  const sinkFor = async (option: string): Promise<OutputSink | undefined> => {
    const target = outputs.find((o) => o.option === option);
    if (target === undefined) return undefined;
    if (target.kind === 'stdout') return stdout;
    try {
      const sink = target.kind === 'file' ? await AtomicFile.create(target.target, target.mode) : await DirectFile.open(target.target);
      sinks.push(sink);
      return sink;
    } catch (e) {
      throw new UsageError(`${option} ${target.path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  // A terminal that reports no width (some pseudo-terminals) would send ora's line counting into a loop.
  const showProgress = !quiet && process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
  const progress = { rows: 0, findings: 0, bytesBefore: 0 };

  let committed = false;
  try {
    const findingsFile = await sinkFor('--out');
    const errorsFile = await sinkFor('--errors');
    const summaryFile = await sinkFor('--summary');
    const reportFile = await sinkFor('--report');
    const sheetFile = await sinkFor('--review');
    const sheetPage = await sinkFor('--review (its HTML page)');
    const scoresFile = await sinkFor('--scores');

    const display = showProgress ? await (await import('../audit/progress.js')).startProgress(progress) : undefined;
    const { MappingError } = await import('../audit/mapping.js');
    let outcome;
    try {
      outcome = await runAudit(
        {
          targets,
          inputFormat: options.inputFormat,
          encoding: options.encoding,
          mapping: {
            text: options.text,
            role: options.role,
            conversation: options.conversation,
            agent: options.agent,
            time: options.time,
            turn: options.turn,
            team: options.team ?? options.queue,
            agentRole: options.agentRole,
            customerRole: options.customerRole,
          },
          jobs,
          batchSize: options.batchSize,
          set,
          packs,
          scoring,
          configFile: configFile ?? null,
          // huashu-disable comments are for template authors: in a transcript they would let an agent
          // hide a reply from QA, so audit never honours them.
          // Only --out lines show every suggestion; the summary, report, result lines and review sheet show
          // the first, and each suggestion tried costs a lint of its sentence.
          lintOptions: { only, disable, minSeverity: options.minSeverity, directives: false, ...(options.out === undefined ? { suggestionLimit: 1 } : {}) },
          findings: findingsFile,
          scores: scoresFile,
          errors: errorsFile,
          results: filter ? stdout : undefined,
          note,
          inputName: options.inputName,
          columns: options.columns,
          ids: options.id,
          part: options.part,
          offset: options.offset,
          review,
          // The summary and the report show the first suggestion of a few findings per rule: when nothing
          // else shows suggestions, only those are built.
          examplesOnlySuggest: options.out === undefined && !filter && sampler === undefined,
          // A filter reading a pipe or terminal answers each line as it arrives; a file is read in batches.
          live: filter && !stdinIsFile(),
        },
        progress,
      );
    } catch (e) {
      // A column option that does not fit an input: stop, as for any usage error (the outputs are not written).
      if (e instanceof MappingError) throw new UsageError(e.message);
      throw e;
    } finally {
      display?.stop();
    }
    const { summary, examples, unreadable } = outcome;
    const elapsed = (performance.now() - t0) / 1000;
    if (suppressions) Object.assign(summary, suppressions.summaryFields());
    if (sampler && options.review !== undefined) {
      const { sheetCsv, sheetHtml } = await import('../audit/review.js');
      const items = sampler.items();
      sheetFile?.push(sheetCsv(items));
      sheetPage?.push(sheetHtml(items, options.review.replace(/^.*[\\/]/, ''), sampler.seen()));
      note(`review sheet: ${items.length} finding${items.length === 1 ? '' : 's'} sampled (up to ${sampler.size} of each rule, seed ${options.seed ?? '1'}) in ${options.review} and ${reviewPageName(options.review)}`);
    }
    if (previous) {
      const { compareSummaries } = await import('../audit/compare.js');
      summary.trend = compareSummaries(previous, summary, { old: options.previous!, new: 'this run' });
    }

    summaryFile?.push(JSON.stringify(summary, null, 2) + '\n');
    if (reportFile) {
      const { renderHtmlReport } = await import('../audit/report-html.js');
      reportFile.push(renderHtmlReport(summary, examples));
    }
    // All or nothing: every output is written out and synced before any replaces its old version.
    for (const f of sinks) await f.prepare();
    for (const f of sinks) await f.commit();
    committed = true;

    if (options.format === 'json') stdout.push(JSON.stringify(summary, null, 2) + '\n');
    else if (options.format === 'table') {
      const [{ formatAuditTable }, { default: chalk, Chalk }] = await Promise.all([import('../audit/report-table.js'), import('chalk')]);
      const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
      let table = await formatAuditTable(summary, color ? new Chalk({ level: Math.max(1, chalk.level) as 1 }) : new Chalk({ level: 0 }), elapsed);
      if (suppressions) table += suppressedNote(suppressions.total, suppressions.path);
      // With an output on standard output, the table (for people) goes to stderr.
      if (toStdout) process.stderr.write(table);
      else stdout.push(table);
    }
    await stdout.flush(true);
    if (globals.debug) process.stderr.write(`huashu: debug: audited ${summary.rows} rows in ${elapsed.toFixed(2)} s with ${jobs} job(s)\n`);

    // Filter mode: every outcome is in the output, so a mapper never fails a job over a row.
    if (filter) return unreadable > 0 ? EXIT_USAGE : EXIT_OK;
    if (unreadable > 0 || summary.errors > 0) {
      if (summary.errors > 0 && !options.quiet) {
        process.stderr.write(`huashu: ${summary.errors} row${summary.errors === 1 ? '' : 's'} could not be audited${options.errors ? ` (see ${options.errors})` : ' (list them with --errors errors.jsonl)'}\n`);
      }
      return EXIT_USAGE;
    }
    return summary.bySeverity.error > 0 ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    if (!committed) for (const f of sinks) await f.abort();
  }
}

/** The table's line on findings reviewers rejected (review.ts Suppressions). */
export function suppressedNote(total: number, path: string): string {
  return `\n  ${thousands(total)} finding${total === 1 ? '' : 's'} suppressed: rejected by reviewers for these very replies (${printable(path)}; --no-review-file counts them)\n`;
}

/** A summary written by audit --summary, read for --previous or compare: a usage error naming the file if it is not one. */
async function readSummary(path: string, option: string): Promise<import('../audit/compare.js').SummaryLike> {
  const [{ readFile }, { summaryProblem }] = await Promise.all([import('node:fs/promises'), import('../audit/compare.js')]);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${option} ${path}: invalid JSON (${(e as Error).message})`);
  }
  const problem = summaryProblem(value);
  if (problem) throw new UsageError(`${option} ${path}: ${problem}`);
  return value as import('../audit/compare.js').SummaryLike;
}

/** The scoring model: the config's audit.scoring (--config, or the config found from the working directory), else the defaults. */
export async function scoringFor(configOption: string | undefined, set: import('../rules/compile.js').RuleSet): Promise<import('../audit/scoring.js').ScoringModel> {
  const [{ findConfigFile, loadConfigFile }, { DEFAULT_SCORING, unknownSelectors }, { RuleError }] = await Promise.all([
    import('../config/index.js'),
    import('../audit/scoring.js'),
    import('../rules/errors.js'),
  ]);
  const file = configOption ?? (await findConfigFile(process.cwd()));
  if (file === undefined) return DEFAULT_SCORING;
  const config = await loadConfigFile(file);
  const audit = config.audit;
  if (!audit?.scoring) return DEFAULT_SCORING;
  const unknown = unknownSelectors(audit.scoring, set.rules.map((r) => r.spec));
  if (unknown.length > 0) throw new RuleError(`audit.scoring: no rule or category named '${unknown[0]}'${unknown.length > 1 ? ` (nor ${unknown.slice(1).join(', ')})` : ''}`, audit.at.file, audit.at.line, audit.at.column);
  return audit.scoring;
}

async function runCompareCommand(oldPath: string, newPath: string, options: { format: 'table' | 'json' }, globals: GlobalOptions): Promise<number> {
  const [older, newer] = [await readSummary(oldPath, 'compare'), await readSummary(newPath, 'compare')];
  const { compareSummaries, formatComparison } = await import('../audit/compare.js');
  const comparison = compareSummaries(older, newer, { old: oldPath, new: newPath });
  if (options.format === 'json') {
    process.stdout.write(JSON.stringify(comparison, null, 2) + '\n');
    return EXIT_OK;
  }
  const [{ table }, { loadCellWidths }, { default: chalk, Chalk }] = await Promise.all([import('../audit/report-table.js'), import('../formatters/stylish.js'), import('chalk')]);
  const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
  const c = color ? new Chalk({ level: Math.max(1, chalk.level) as 1 }) : new Chalk({ level: 0 });
  await loadCellWidths(); // the tables hold − and ± besides names from the data
  process.stdout.write(formatComparison(comparison, (head, rows) => table(head, rows, (t) => c.bold(t))));
  return EXIT_OK;
}

export function addAuditCommand(program: Command, setExitCode: (code: number) => void): Command {
  const audit = program
    .command('audit')
    .description('audit transcript exports (CSV, TSV, JSON lines, JSON, .gz): lint the agent replies, report totals')
    .argument('[paths...]', 'export files, directories (their .csv/.tsv/.jsonl/.json[.gz] files), globs, or - for stdin')
    .option('--stdin', 'read an export from standard input (as -)')
    .addOption(new Option('--input-format <format>', 'input format (default: from the file name, else sniffed)').choices(INPUT_FORMATS))
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, gb18030, gbk, big5, … (default: detected)')
    .option('--text <column>', 'column (CSV header or JSON key) with the message text')
    .option('--role <column>', 'column with the speaker role')
    .option('--agent-role <values>', 'role values that mean an agent (comma-separated, repeatable; default: agent, helpdesk, 客服, 坐席, …)', collectList)
    .option('--customer-role <values>', 'role values that mean a customer (default: customer, user, 客户, 顾客, 用户, …)', collectList)
    .option('--conversation <column>', 'column with the conversation id')
    .option('--agent <column>', 'column with the agent name or id')
    .option('--time <column>', 'column with the timestamp')
    .option('--turn <column>', 'column with the turn number (default: counted per conversation)')
    .option('--team <column>', 'column with the team, queue or skill group (scores and rates per team)')
    .option('--queue <column>', 'the same as --team')
    .option('--previous <summary.json>', 'a previous run\'s --summary: the change since then in the table, the summary (trend) and the report')
    .option('-o, --out <file>', 'write one JSON line per finding')
    .option('--errors <file>', 'write one JSON line per row that could not be audited')
    .option('--summary <file>', 'write the summary as JSON')
    .option('--report <file>', 'write a self-contained HTML report')
    .option('--scores <file>', 'write one JSON line per conversation scored: conversation, file, agents, teams, replies, findings, deduction, score, fatal, pass')
    .addOption(new Option('-f, --format <name>', 'stdout: table (summary for people), json (the summary), jsonl (one result line per input row, nothing else)').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('-j, --jobs <n>', 'threads that lint: the main thread and jobs - 1 worker threads').argParser(positiveInteger).default(availableParallelism(), 'the number of cores'))
    .addOption(new Option('--batch-size <n>', 'rows per batch sent to a worker').argParser(positiveInteger).default(512).hideHelp())
    .option('-c, --config <file>', 'use this config file: its packs, severities, off and audit.scoring (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from the working directory upward)')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (comma-separated, repeatable)', collectList)
    .addOption(new Option('--min-severity <level>', 'report only findings of this severity or higher').choices(SEVERITY_ORDER).default('info'))
    .option('-q, --quiet', 'no progress and no notes on stderr')
    .option('--input-name <name>', 'what standard input is called in the outputs (default: <stdin>)')
    .option('--columns <names>', 'the column names of CSV/TSV input without a header line (comma-separated)', collectList)
    .option('--id <columns>', 'columns whose values each result line carries as ids (comma-separated, repeatable)', collectList)
    .option('--part <name>', 'the name of this part of a split input, on every result line (see audit merge)')
    .addOption(new Option('--offset <n>', 'add n to every row and line number (a part that starts after row n)').argParser(nonNegativeInteger))
    .addOption(new Option('--review-sample <n>', 'review sheet: sample up to n findings of every rule (default 20)').argParser(positiveInteger))
    .option('--seed <seed>', 'seed of the review sample: the same seed and input give the same sheet (default 1)')
    .option('--review <sheet.csv>', 'write a review sheet (CSV, and an HTML page beside it) for huashu review import')
    .option('--review-file <path>', "reviewers' verdicts to honour (default: .huashu-review.json here or in a folder above)")
    .option('--no-review-file', "ignore reviewers' verdicts")
    .addHelpText(
      'after',
      `
Every row is audited (an agent reply), skipped (a customer turn, kept as context for the next agent
reply; another role; an empty message) or an error (bad quoting, a missing text column, undecodable
bytes, invalid JSON, a truncated .gz) listed by --errors: rows = audited + skipped + errors.

Output files replace their old versions together at the end, and only if the run completes; an
output that is a directory, an input, or another output's file is a usage error before the run.
A device or FIFO is written to directly; - (or /dev/stdout) is standard output.

Exit codes: 0 done, 1 an error-level finding, 2 usage or input error, or rows that could not be
audited. With --format jsonl (a filter) every outcome is in the output and the exit code is 0.

Scores: each conversation starts at 100 and loses points per finding (error 10, warning 5, info 0), or
as the config's audit.scoring says (points per severity or rule, fatal rules, the pass mark).

Examples:
  huashu audit chats.csv --summary summary.json --report report.html
  huashu audit may.csv --agent 客服 --queue 技能组 --previous april.summary.json --summary may.summary.json
  huashu audit compare april.summary.json may.summary.json
  huashu audit 'exports/*.jsonl.gz' --out findings.jsonl --errors errors.jsonl
  huashu audit export.csv --encoding gb18030 --text 内容 --role 角色 --agent-role 客服
  cat part-0001.jsonl | huashu audit --stdin --format jsonl --part 0001 > results-0001.jsonl
  huashu audit merge results-*.jsonl --summary summary.json --report report.html
  huashu audit chats.csv --review-sample 10 --review sheet.csv    (then: huashu review import sheet.csv)`,
    )
    .action(async (paths: string[], options: AuditCommandOptions, command: Command) => {
      setExitCode(await runAuditCommand(paths, options, command.optsWithGlobals<GlobalOptions & AuditCommandOptions>()));
    });
  addAuditMergeCommand(audit, setExitCode);
  audit
    .command('compare')
    .description('compare two audit summaries (--summary files): change per rule, category, agent and team, and the replies behind the biggest changes')
    .argument('<old>', 'the earlier summary.json')
    .argument('<new>', 'the later summary.json')
    .addHelpText('after', '\nOptions: -f, --format table (default) or json, as for audit.')
    .action(async (oldPath: string, newPath: string, _options: unknown, command: Command) => {
      // -f/--format is audit's own option (commander gives it to the parent command wherever it is written).
      const globals = command.optsWithGlobals<GlobalOptions & { format: string }>();
      if (globals.format !== 'table' && globals.format !== 'json') throw new UsageError(`audit compare: --format ${globals.format}: use table or json`);
      setExitCode(await runCompareCommand(oldPath, newPath, { format: globals.format }, globals));
    });
  return audit;
}
