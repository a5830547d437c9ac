// `huashu audit merge results...`: the summary and report of a split run, from its result lines
// (audit/merge.ts), written as `huashu audit` writes them.
import { Command, Option } from 'commander';
import type { OutputSink } from '../audit/outputs.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { printable } from './printable.js';
import type { GlobalOptions } from './index.js';

interface MergeCommandOptions {
  summary?: string;
  report?: string;
  format: 'table' | 'json';
  quiet?: boolean;
  reviewFile?: string | false;
  /** audit's -c/--config: its audit.scoring scores the merged conversations. */
  config?: string;
}

async function runMerge(paths: string[], options: MergeCommandOptions, globals: GlobalOptions): Promise<number> {
  const t0 = performance.now();
  if (paths.length === 0) throw new UsageError('audit merge: name the result files (written by huashu audit --format jsonl)');
  const [{ resolveOutputs, inputsAmongOutputs }, { expandPaths }, { mergeResults, MergeError }, { AtomicFile, DirectFile, StdoutSink }, { loadSuppressions }] = await Promise.all([
    import('./outputs.js'),
    import('../inputs/files.js'),
    import('../audit/merge.js'),
    import('../audit/outputs.js'),
    import('./review.js'),
  ]);
  const outputs = await resolveOutputs([
    { option: '--summary', path: options.summary },
    { option: '--report', path: options.report },
  ]);
  const toStdout = outputs.find((o) => o.kind === 'stdout');
  if (toStdout && options.format !== 'table') throw new UsageError(`${toStdout.option} and --format ${options.format} both write to standard output: name a file for one of them`);
  // In a directory or glob: .jsonl files, and the part files Spark (part-00000) and Hadoop (part-m-00000) write.
  const accepts = (name: string) => /\.(jsonl|ndjson)$/i.test(name) || /^part-[a-z-]*\d+$/i.test(name.replace(/^.*[\\/]/, ''));
  const targets = await expandPaths(paths, { kind: { accepts, described: '.jsonl or part-NNNNN files' } });
  const files: string[] = [];
  for (const t of targets) {
    if ('error' in t) throw new UsageError(`${t.path}: ${t.error}`);
    if (t.stdin) throw new UsageError('audit merge reads result files, not standard input');
    files.push(t.path);
  }
  if ((await inputsAmongOutputs(outputs, files.map((path) => ({ path, named: true })))).size > 0) throw new UsageError('an output is also a result file to merge');
  const note = options.quiet ? () => {} : (message: string) => process.stderr.write(`huashu: ${printable(message)}\n`);
  const suppressions = await loadSuppressions(options.reviewFile);
  // audit.scoring of the config (--config, or found from the working directory), as the single run used
  const [{ scoringFor }, { loadRules }] = await Promise.all([import('./audit.js'), import('../rules/load.js')]);
  const scoring = await scoringFor(options.config, await loadRules());

  let outcome;
  try {
    outcome = await mergeResults(files, { note, suppressions, scoring });
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
  const { summary, examples } = outcome;
  if (suppressions) Object.assign(summary, suppressions.summaryFields());

  const stdout = new StdoutSink();
  const sinks: OutputSink[] = [];
  let committed = false;
  try {
    for (const target of outputs) {
      let sink: OutputSink;
      if (target.kind === 'stdout') sink = stdout;
      else {
        try {
          sink = target.kind === 'file' ? await AtomicFile.create(target.target, target.mode) : await DirectFile.open(target.target);
        } catch (e) {
          throw new UsageError(`${target.option} ${target.path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        sinks.push(sink);
      }
      if (target.option === '--summary') sink.push(JSON.stringify(summary, null, 2) + '\n');
      else {
        const { renderHtmlReport } = await import('../audit/report-html.js');
        sink.push(renderHtmlReport(summary, examples));
      }
    }
    for (const f of sinks) await f.prepare();
    for (const f of sinks) await f.commit();
    committed = true;
  } finally {
    if (!committed) for (const f of sinks) await f.abort();
  }
  const elapsed = (performance.now() - t0) / 1000;
  if (options.format === 'json') stdout.push(JSON.stringify(summary, null, 2) + '\n');
  else {
    const [{ formatAuditTable }, { default: chalk, Chalk }, { suppressedNote }] = await Promise.all([import('../audit/report-table.js'), import('chalk'), import('./audit.js')]);
    const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
    let table = await formatAuditTable(summary, color ? new Chalk({ level: Math.max(1, chalk.level) as 1 }) : new Chalk({ level: 0 }));
    table = `huashu audit merge: ${outcome.parts} part${outcome.parts === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'} in ${elapsed.toFixed(1)} s\n` + table;
    if (suppressions) table += suppressedNote(suppressions.total, suppressions.path);
    if (toStdout) process.stderr.write(table);
    else stdout.push(table);
  }
  await stdout.flush(true);
  return summary.errors > 0 ? EXIT_USAGE : summary.bySeverity.error > 0 ? 1 : EXIT_OK;
}

export function addAuditMergeCommand(audit: Command, setExitCode: (code: number) => void): Command {
  return audit
    .command('merge')
    .description('the summary and report of a split run, from the result lines of its parts (audit --format jsonl)')
    .argument('<results...>', 'result files (one per part, in the input\'s order), directories or globs of .jsonl files')
    .option('--summary <file>', 'write the summary as JSON')
    .option('--report <file>', 'write the HTML report')
    .addOption(new Option('-f, --format <name>', 'stdout: table or json (the summary)').choices(['table', 'json']).default('table'))
    .option('-q, --quiet', 'no notes on stderr')
    .option('--review-file <path>', "reviewers' verdicts (default: .huashu-review.json here or in a folder above)")
    .option('--no-review-file', "ignore reviewers' verdicts")
    .addHelpText(
      'after',
      `
Parts are read in the order named (a glob: sorted), and rows numbered within each part (no --offset)
are renumbered as one input's. The summary, report and examples are those of one run over the whole
input when the parts were cut at conversation boundaries; a conversation split between two parts is
named on stderr. Exit codes as for huashu audit.`,
    )
    .action(async (paths: string[], options: MergeCommandOptions, command: Command) => {
      const all = command.optsWithGlobals<GlobalOptions & MergeCommandOptions>();
      setExitCode(await runMerge(paths, all, all));
    });
}
