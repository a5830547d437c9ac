// The `huashu` program: global options and one file per command. Commands import what they need when they
// run, so `huashu --help` and `huashu --version` load neither the rules nor the segmenter; and `huashu lint`
// loads only lint's command module (see COMMAND_MODULES).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { printable } from './printable.js';
import { tuneRegexTierUp } from './regex-tiering.js';

type AddCommand = (program: Command, setExitCode: (code: number) => void) => Command;

/**
 * The module of each command, in help order. When argv names one of them only its module is loaded (a
 * start-up cost per module, paid on every draft); for help, a typo or no command, all of them.
 */
const COMMAND_MODULES: Record<string, () => Promise<AddCommand>> = {
  lint: async () => (await import('./lint.js')).addLintCommand,
  coach: async () => (await import('./coach.js')).addCoachCommand,
  fix: async () => (await import('./fix.js')).addFixCommand,
  explain: async () => (await import('./explain.js')).addExplainCommand,
  docs: async () => (await import('./docs.js')).addDocsCommand,
  rules: async () => (await import('./rules.js')).addRulesCommand,
  config: async () => (await import('./config.js')).addConfigCommand,
  init: async () => (await import('./config.js')).addInitCommand,
  audit: async () => (await import('./audit.js')).addAuditCommand,
  review: async () => (await import('./review.js')).addReviewCommand,
  serve: async () => (await import('./serve.js')).addServeCommand,
  lsp: async () => (await import('./lsp.js')).addLspCommand,
};

/** The command argv names: its first word after the global options. */
function commandWord(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

export interface GlobalOptions {
  /** false with --no-color, true with --color, undefined: decide from the terminal and NO_COLOR. */
  color?: boolean;
  debug?: boolean;
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const LINTING_COMMANDS = new Set(['lint', 'fix', 'coach', 'audit', 'serve', 'lsp', 'rules', 'explain']);

/** Is this an error we expect and explain in one line (as opposed to a bug)? */
function isExpected(e: unknown): e is Error {
  return e instanceof UsageError || (e instanceof Error && (e.name === 'RuleError' || e.name === 'SegmenterError'));
}

export async function createProgram(setExitCode: (code: number) => void, argv: readonly string[] = []): Promise<Command> {
  const program = new Command()
    .name('huashu')
    .description('話術 — lint Chinese customer-service reply drafts for overpromises, negative wording and blame')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--color', 'force coloured output')
    .option('--no-color', 'no coloured output (also: NO_COLOR=1, or output that is not a terminal)')
    .option('--debug', 'print stack traces and timings on stderr')
    .helpCommand('help [command]', 'show help for a command: huashu help lint')
    .exitOverride()
    .configureOutput({
      // Commander's own errors ("unknown option '--x'") in our one-line form.
      outputError: (message, write) => write(`huashu: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  const word = commandWord(argv);
  const names = word !== undefined && word in COMMAND_MODULES ? [word] : Object.keys(COMMAND_MODULES);
  const adders = await Promise.all(names.map((n) => COMMAND_MODULES[n]!()));
  for (const add of adders) add(program, setExitCode);
  return program;
}

/** Run huashu with `argv` (node's: program and script first). Resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  // `huashu help <typo>`: a one-line error, as for an unknown command, not the whole help on stderr.
  const [first, second] = argv.slice(2);
  if (first === 'help' && second !== undefined && !second.startsWith('-') && !(second in COMMAND_MODULES)) {
    const { didYouMean } = await import('../rules/errors.js');
    process.stderr.write(`huashu: help: no command named '${printable(second)}'${didYouMean(second, Object.keys(COMMAND_MODULES))} (huashu --help lists them)\n`);
    return EXIT_USAGE;
  }
  let code = EXIT_OK;
  // Commands that lint need nodejieba's native binding: a broken install is said at once, with the fix.
  const word = commandWord(argv);
  if (word !== undefined && LINTING_COMMANDS.has(word) && !argv.includes('--help') && !argv.includes('-h')) {
    const { segmenterProblem } = await import('../segment/binding.js');
    const problem = segmenterProblem();
    if (problem) {
      process.stderr.write(`huashu: ${problem}\n`);
      return EXIT_USAGE;
    }
  }
  const program = await createProgram((c) => {
    code = c;
  }, argv);
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const debug = (program.opts() as GlobalOptions).debug ?? argv.includes('--debug');
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    // Messages name files and values from the data: no control character reaches the terminal.
    if (isExpected(e)) process.stderr.write(`huashu: ${printable(e.message)}\n`);
    else process.stderr.write(`huashu: internal error: ${printable(e instanceof Error ? e.message : String(e))}${debug ? '' : ' (run with --debug for details)'}\n`);
    return EXIT_USAGE;
  }
}

/** Entry point for bin/huashu.js. Sets process.exitCode rather than exiting, so output is flushed. */
export async function run(): Promise<void> {
  tuneRegexTierUp();
  // `huashu lint … | head`: a closed pipe is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw e;
  });
  process.exitCode = await main(process.argv);
}
