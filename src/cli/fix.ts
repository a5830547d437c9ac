// `huashu fix [paths...]`: apply every safe replacement (suggestions marked `safe: true`, such as
// 您的投訴 → 您的反饋) without asking, like `eslint --fix`. Files are rewritten in their own encoding (BOM,
// UTF-16 byte order and line endings kept) by inputs/rewrite.ts: locked from read to write, read-only
// ones refused, owner, mode, attributes and hard links kept, never when they changed on disk since they
// were read. `-` fixes standard input to standard output; `--dry-run` prints a unified diff.
import { printable } from './printable.js';
import { Command, Option } from 'commander';
import type { Finding } from '../engine/findings.js';
import { isProblem, type Input, type InputProblem, type Target } from '../inputs/files.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import type { GlobalOptions } from './index.js';
import { checkRuleNames, collect, collectList } from './lint.js';

const FIX_FORMATS = ['text', 'json'] as const;

/** Files worked on at once (each holds its lock meanwhile). */
const FILES_IN_FLIGHT = 4;

export interface FixCommandOptions {
  dryRun?: boolean;
  config?: string;
  format: (typeof FIX_FORMATS)[number];
  rules?: string[];
  only?: string[];
  disable?: string[];
}

interface FixedFile {
  path: string;
  /** The text changed (or, with --dry-run, would change). */
  changed: boolean;
  fixed: Finding[];
  remaining: Finding[];
  error?: string;
  /** The fixed text of standard input (JSON output only). */
  text?: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function runFix(paths: string[], options: FixCommandOptions, globals: GlobalOptions): Promise<number> {
  if (paths.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no input: name files or directories, or pipe text in (see huashu fix --help)');
    paths = ['-'];
  }
  const [files, write, rewrite, { fixText, FixNotConvergingError }, { unifiedDiff }, { FixRules, DocumentError }] = await Promise.all([
    import('../inputs/files.js'),
    import('../inputs/write.js'),
    import('../inputs/rewrite.js'),
    import('../edits/apply.js'),
    import('../formatters/diff.js'),
    import('../edits/fix-document.js'),
  ]);
  // Each file gets the config found from its folder upward (or --config), as in `lint`: its packs, its
  // severities, its `off`, its placeholders. Standard input: the config of the working directory.
  const rules = new FixRules(options);
  if (options.config || options.only?.length || options.disable?.length) await rules.check(undefined);
  // A safe replacement that recreates its own trigger would grow the text pass after pass: nothing is written.
  // The text is read as `lint` reads the file (Markdown, HTML, JSON, YAML: only the reply text), and the
  // fixed file must still parse as what it was.
  const fixOrFail = async (path: string | undefined, text: string): Promise<ReturnType<typeof fixText> | { error: string }> => {
    const lint = await rules.linter(path);
    try {
      const result = fixText(text, lint);
      if (result.text !== text) lint(result.text); // still readable as what it was
      return result;
    } catch (e) {
      if (e instanceof FixNotConvergingError) return { error: `${e.message}; not changed` };
      if (e instanceof DocumentError) return { error: e.message };
      throw e;
    }
  };
  const { default: chalk } = await import('chalk');
  const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);

  /** What fixing one target came to, printed and counted in the order the targets were named. */
  interface Outcome {
    entry: FixedFile;
    input: Input;
    stdout?: string | Uint8Array;
    stderr?: string;
  }
  /** An input that could not be read or decoded (a binary file is only a warning). */
  const problem = (p: InputProblem): Outcome => ({
    entry: { path: p.path, changed: false, fixed: [], remaining: [], error: p.error },
    input: p,
    stderr: `huashu: ${p.kind === 'binary' ? 'warning: ' : ''}${printable(p.path)}: ${p.error}\n`,
  });
  /** A file read but not fixed: nothing written. */
  const fail = (path: string, error: string, entry?: FixedFile): Outcome => ({
    entry: { path, fixed: [], remaining: [], ...entry, changed: false, error },
    input: { path, kind: 'unreadable', error },
    stderr: `huashu: ${printable(path)}: ${error}\n`,
  });

  /**
   * A file to fix: locked (unless only looked at) from the read to the write, so that concurrent runs take
   * turns rather than each writing over what the other wrote.
   */
  const openDraft = async (path: string): Promise<{ refused: string } | { input: Input; draft?: import('../inputs/rewrite.js').Draft }> => {
    let draft;
    try {
      draft = await rewrite.Draft.open(path, { lock: !options.dryRun });
    } catch (e) {
      if (e instanceof rewrite.FileLockedError) return { refused: `${e.message}; not changed` };
      return { input: await files.readTarget({ path }) }; // read again for lint's own message
    }
    return { input: files.toInput(path, draft.bytes), draft };
  };

  const fixTarget = async (target: Target): Promise<Outcome> => {
    const stdin = !('error' in target) && target.stdin === true;
    const opened = 'error' in target || stdin ? { input: await files.readTarget(target) } : await openDraft(target.path);
    if ('refused' in opened) return fail(target.path, opened.refused);
    const { input, draft } = opened;
    try {
      if (isProblem(input)) return problem(input);
      if (!stdin && !('error' in target)) {
        const ignored = await rules.ignored(input.path);
        if (ignored) return { entry: { path: input.path, changed: false, fixed: [], remaining: [] }, input, stderr: 'named' in target && target.named ? `huashu: warning: ${printable(input.path)}: ${ignored}, not fixed\n` : undefined };
      }
      const result = await fixOrFail(stdin ? undefined : input.path, input.text);
      if ('error' in result) return fail(input.path, result.error);
      const entry: FixedFile = { path: input.path, changed: result.text !== input.text, fixed: result.fixed, remaining: result.remaining };
      if (options.dryRun) {
        return { entry, input, stdout: options.format === 'text' ? unifiedDiff(input.path, input.text, result.text, { color }) : undefined };
      }
      if (stdin) {
        if (options.format === 'json') return { entry: { ...entry, text: result.text }, input };
        return { entry, input, stdout: write.encodeText(result.text, input.encoding) };
      }
      if (entry.changed) {
        const error = draft ? await draft.save(write.encodeText(result.text, input.encoding)) : 'cannot write: not read as a file';
        // Nothing was fixed: what is left is what the file has.
        if (error) return fail(input.path, error, { ...entry, fixed: [], remaining: (await rules.linter(input.path))(input.text) });
      }
      return { entry, input };
    } finally {
      await draft?.release();
    }
  };

  // In a directory walk, a link to a file outside the directory is not followed: fixing a tree must not
  // rewrite files elsewhere.
  const { CONFIG_FILES } = await import('../config/index.js');
  const { basename } = await import('node:path');
  const targets = (
    await files.expandPaths(paths, {
      linksOutside: 'skip',
      onSkip: (s) => process.stderr.write(`huashu: warning: ${printable(s.path)}: ${s.reason}\n`),
    })
  ).filter((t) => 'error' in t || t.stdin || t.named || !(CONFIG_FILES as readonly string[]).includes(basename(t.path))); // huashu's own configs are not replies
  // A few files at a time: linting is synchronous, but one file's writing (copying its attributes,
  // fsync, rename) overlaps the next ones' reading and linting. Reported in order all the same.
  const results: FixedFile[] = [];
  const inputs: Input[] = [];
  const inFlight: Promise<Outcome>[] = [];
  let next = 0;
  const startNext = () => {
    if (next < targets.length) inFlight.push(fixTarget(targets[next++]!));
  };
  for (let i = 0; i < FILES_IN_FLIGHT; i++) startNext();
  while (inFlight.length > 0) {
    const outcome = await inFlight.shift()!;
    startNext();
    if (outcome.stderr) process.stderr.write(outcome.stderr);
    if (outcome.stdout) process.stdout.write(outcome.stdout);
    results.push(outcome.entry);
    inputs.push(outcome.input);
  }

  const fixedCount = results.reduce((n, r) => n + (r.error ? 0 : r.fixed.length), 0);
  const remaining = results.reduce((n, r) => n + r.remaining.length, 0);
  if (options.format === 'json') {
    const json = {
      version: 1,
      dryRun: Boolean(options.dryRun),
      files: results.map((r) => ({
        path: r.path,
        changed: r.changed,
        fixed: r.fixed.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column, excerpt: f.excerpt, replacement: f.suggestions.find((s) => s.kind === 'replace' && s.safe)?.text })),
        remaining: r.remaining.length,
        ...(r.text !== undefined ? { text: r.text } : {}),
        ...(r.error ? { error: r.error } : {}),
      })),
      summary: { files: results.length, changed: results.filter((r) => r.changed).length, fixed: fixedCount, remaining },
    };
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    const changedFiles = results.filter((r) => r.changed).length;
    const verb = options.dryRun ? 'would fix' : 'fixed';
    // Files that could not be read or written are not silently part of "0 problems left".
    const failed = inputs.filter((i) => isProblem(i) && i.kind !== 'binary').length;
    const notFixed = failed ? `; ${plural(failed, 'file', 'files')} could not be fixed` : '';
    const line = `${verb} ${plural(fixedCount, 'problem', 'problems')} in ${plural(changedFiles, 'file', 'files')}; ${plural(remaining, 'problem', 'problems')} left${remaining ? ' (huashu lint to list them, huashu coach to work through them)' : ''}${notFixed}\n`;
    // With stdin the fixed text is the output (even when it could not be fixed): the summary goes to stderr.
    const textOnStdout = !options.dryRun && results.some((r) => r.path === files.STDIN_PATH);
    if (textOnStdout) {
      if (process.stderr.isTTY) process.stderr.write(`huashu: ${line}`);
    } else process.stdout.write(line);
  }

  const problems = inputs.filter(isProblem);
  if (problems.some((p) => p.kind !== 'binary')) return EXIT_USAGE;
  if (inputs.length > 0 && problems.length === inputs.length) return EXIT_USAGE;
  return results.some((r) => r.remaining.some((f) => f.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
}

export function addFixCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('fix')
    .description('apply the safe replacements (e.g. 您的投訴 → 您的反饋) to drafts, without asking')
    .argument('[paths...]', 'files, directories (the files lint reads: .txt .md .html .json .yaml …), globs, or - for stdin → stdout (default: stdin when piped)')
    .option('--dry-run', 'change nothing; print a unified diff of what would change')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FIX_FORMATS).default('text'))
    .option('-c, --config <file>', "use this config file for every input (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from each file's folder upward)")
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .addHelpText(
      'after',
      `
Files are read as \`huashu lint\` reads them: in Markdown, HTML, JSON and YAML only the reply text is
fixed (never code blocks, inline code, comments, attributes, <script> or keys), and a fix that would leave
the file unreadable as what it was is not made.

Only replacements a rule marks safe are applied, and only the flagged characters change; the rest of the
file (encoding, BOM, line endings, mode, owner, attributes, hard links) stays as it is. Fixing is repeated
until nothing safe is left, so fixing twice is fixing once (fixes that never settle are an error, and
nothing is written). Read-only files are refused; a file changed on disk while huashu worked on it is not
overwritten; two runs at once take turns on each file. In a directory, links to files outside it are
not followed.

Exit codes: 0 no error-level finding left, 1 an error-level finding left (fix cannot fix it: see
            huashu coach), 2 usage, rule pack, input or write error (read-only, changed on disk, …).

Examples:
  huashu fix --dry-run drafts/
  huashu fix reply.txt
  echo '關於您的投訴，我們已經收到。' | huashu fix -`,
    )
    .action(async (paths: string[], options: FixCommandOptions, command: Command) => {
      setExitCode(await runFix(paths, options, command.optsWithGlobals<GlobalOptions & FixCommandOptions>()));
    });
}
