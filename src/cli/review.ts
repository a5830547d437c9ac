// `huashu review import sheet.csv`: read a reviewer's verdicts from a sheet written by
// `huashu audit --review`, keep them in .huashu-review.json (suppressions that later audits and lints
// honour; each rule's measured precision), report the precision per rule with a 95% interval, and export
// the reviewed replies as labeled drafts and rule examples. Also the helpers audit and lint use to find
// and load the review file.
import { Command, Option } from 'commander';
import type { Suppressions } from '../audit/review.js';
import { EXIT_OK, UsageError } from './errors.js';
import { printable } from './printable.js';
import type { GlobalOptions } from './index.js';

/** The HTML page written beside a review sheet: sheet.csv → sheet.html. */
export function reviewPageName(sheet: string): string {
  return /\.csv$/i.test(sheet) ? sheet.replace(/\.csv$/i, '.html') : `${sheet}.html`;
}

/**
 * The reviewers' verdicts in effect: `--review-file path`, none with --no-review-file (false), or else
 * .huashu-review.json from the current folder upward. A file that is not one is a usage error.
 */
export async function loadSuppressions(reviewFile: string | false | undefined): Promise<Suppressions | undefined> {
  if (reviewFile === false) return undefined;
  const { findReviewFile } = await import('../audit/review-file.js');
  const path = reviewFile ?? findReviewFile();
  if (path === undefined) return undefined;
  const { loadReview, Suppressions, ReviewError } = await import('../audit/review.js');
  try {
    return new Suppressions(path, await loadReview(path));
  } catch (e) {
    if (e instanceof ReviewError) throw new UsageError(`--review-file: ${e.message}`);
    throw e;
  }
}

interface ImportOptions {
  reviewFile?: string;
  drafts?: string;
  examples?: string;
  export: boolean;
  format: 'text' | 'json';
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function importSheet(sheet: string, options: ImportOptions): Promise<number> {
  const [{ readFile }, review, { findReviewFile, REVIEW_FILE }, { writeFileAtomic }] = await Promise.all([
    import('node:fs/promises'),
    import('../audit/review.js'),
    import('../audit/review-file.js'),
    import('../inputs/write.js'),
  ]);
  let text: string;
  try {
    text = await readFile(sheet, 'utf8');
  } catch (e) {
    throw new UsageError(`${sheet}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const base = sheet.replace(/\.csv$/i, '');
  const draftsPath = options.drafts ?? `${base}.drafts.jsonl`;
  const examplesPath = options.examples ?? `${base}.examples.yaml`;
  const target = options.reviewFile ?? findReviewFile() ?? REVIEW_FILE;
  const { resolveOutputs } = await import('./outputs.js');
  // Checked first: none of the files written may be the sheet or one another.
  await resolveOutputs([
    { option: 'the sheet', path: sheet },
    { option: '--review-file', path: target },
    ...(options.export ? [{ option: '--drafts', path: draftsPath }, { option: '--examples', path: examplesPath }] : []),
  ]);

  let read;
  let old;
  try {
    read = review.readSheet(text, sheet);
    old = await readFile(target, 'utf8').then(
      () => review.loadReview(target),
      () => undefined,
    );
  } catch (e) {
    if (e instanceof review.ReviewError) throw new UsageError(e.message);
    throw e;
  }
  const added = read.verdicts.map(({ rule, category, fingerprint, verdict, note, excerpt, source }) => ({ rule, category, fingerprint, verdict, note, excerpt, source }));
  const verdicts = review.mergeVerdicts(old?.verdicts ?? [], added);
  const data = review.reviewData(verdicts);
  const write = async (path: string, content: string) => {
    try {
      await writeFileAtomic(path, Buffer.from(content, 'utf8'));
    } catch (e) {
      throw new UsageError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  // Everything is made before anything is written: a failure leaves every file as it was.
  const d = options.export ? review.labeledDrafts(read.verdicts) : undefined;
  const x = options.export ? review.ruleExamplesYaml(read.verdicts) : undefined;
  await write(target, JSON.stringify(data, null, 2) + '\n');
  if (d && x) {
    await write(draftsPath, d.jsonl);
    await write(examplesPath, x.yaml);
  }
  const drafts = d?.count ?? 0;
  const examples = x?.count ?? 0;
  const suppressions = verdicts.filter((v) => v.verdict === 'rejected').length;
  const confirmed = read.verdicts.filter((v) => v.verdict === 'confirmed').length;
  const appeals = read.verdicts.filter((v) => v.note).length;

  if (options.format === 'json') {
    process.stdout.write(
      JSON.stringify(
        {
          sheet,
          reviewFile: target,
          read: { verdicts: read.verdicts.length, confirmed, rejected: read.verdicts.length - confirmed, withNote: appeals, unreviewed: read.unreviewed },
          precision: data.precision,
          suppressions,
          exports: options.export ? { drafts: { file: draftsPath, count: drafts }, examples: { file: examplesPath, count: examples } } : undefined,
        },
        null,
        2,
      ) + '\n',
    );
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(`huashu review: ${read.verdicts.length} verdict${read.verdicts.length === 1 ? '' : 's'} read from ${printable(sheet)} (${confirmed} confirmed, ${read.verdicts.length - confirmed} rejected, ${appeals} with a note; ${read.unreviewed} rows not reviewed)`);
  out.push(`  ${printable(target)}: ${verdicts.length} verdicts, ${suppressions} suppression${suppressions === 1 ? '' : 's'} (rejected findings that later audits and lints count apart)`);
  out.push('');
  const rows = Object.entries(data.precision).map(([rule, p]) => [rule, String(p.n), String(p.confirmed), String(p.rejected), pct(p.precision), `${pct(p.lo)} – ${pct(p.hi)}`]);
  const head = ['rule', 'reviewed', 'confirmed', 'rejected', 'precision', '95% interval (Wilson)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(line(head), ...rows.map((r) => line(r.map(printable))));
  if (options.export) out.push('', `  labeled drafts: ${drafts} replies → ${printable(draftsPath)}; rule examples: ${examples} → ${printable(examplesPath)}`);
  process.stdout.write(out.join('\n') + '\n');
  return EXIT_OK;
}

export function addReviewCommand(program: Command, setExitCode: (code: number) => void): Command {
  const cmd = program.command('review').description("reviewers' verdicts on audit findings: import a filled-in review sheet").helpCommand(false);
  cmd
    .command('import')
    .description('read the verdicts of a review sheet (written by huashu audit --review): precision per rule, suppressions, labeled drafts')
    .argument('<sheet.csv>', 'the review sheet, with its verdict (confirmed / rejected) and note columns filled in')
    .option('--review-file <path>', 'where verdicts are kept (default: .huashu-review.json here or in a folder above, else created here)')
    .option('--drafts <file>', 'labeled drafts of the reviewed replies (default: <sheet>.drafts.jsonl)')
    .option('--examples <file>', 'rule examples of the reviewed replies (default: <sheet>.examples.yaml)')
    .option('--no-export', 'write neither the drafts nor the examples')
    .addOption(new Option('-f, --format <name>', 'text or json').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Verdicts: confirmed (also yes, 确认/確認, 成立) or rejected (also no, 驳回/駁回, 误报/誤報); an empty
verdict is a finding not reviewed. A bad verdict is an error naming its row; nothing is written then.
An agent's appeal (申诉) is a verdict with the agent's reason in the note: rejected if upheld.

A rejected finding is suppressed from then on, for that rule on that reply (recognised by a fingerprint
of its normalized text): audits and lints count it apart as suppressed. A later verdict on the same
rule and reply replaces the earlier one.`,
    )
    .action(async (sheet: string, options: ImportOptions, command: Command) => {
      setExitCode(await importSheet(sheet, command.optsWithGlobals<GlobalOptions & ImportOptions>()));
    });
  return cmd;
}
