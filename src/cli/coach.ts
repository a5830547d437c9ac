// `huashu coach [file]`: walk a draft finding by finding in the terminal and pick better wording.
// The state machine is src/coach/session.ts, the questions src/coach/ui.ts; this file does the I/O.
import { Command } from 'commander';
import { EXIT_OK, UsageError } from './errors.js';
import type { CoachPrompts } from '../coach/ui.js';
import type { GlobalOptions } from './index.js';
import { checkRuleNames, collect, collectList } from './lint.js';

interface CoachCommandOptions {
  config?: string;
  rules?: string[];
  only?: string[];
  disable?: string[];
  backup: boolean;
}

/** Exit code after Ctrl-C, as shells report SIGINT. */
const EXIT_INTERRUPTED = 130;

/**
 * @inquirer/prompts' select, where a digit key takes a numbered choice at once: select itself only moves
 * the cursor there (and still does, for digits past the numbered choices). The digit's own keypress has
 * moved the cursor by the time the Enter sent here arrives, so the choice taken is the one the digit named.
 */
function pickingSelect(select: CoachPrompts['select'], input: NodeJS.ReadStream): CoachPrompts['select'] {
  return (config) => {
    const numbered = config.numbered ?? 0;
    const onKey = (_: string, key: { sequence?: string; ctrl?: boolean; meta?: boolean } | undefined) => {
      const digit = key && !key.ctrl && !key.meta && /^[1-9]$/.test(key.sequence ?? '') ? Number(key.sequence) : 0;
      if (digit === 0 || digit > numbered) return;
      setImmediate(() => input.emit('keypress', '\r', { name: 'return', sequence: '\r', ctrl: false, meta: false, shift: false }));
    };
    input.on('keypress', onKey);
    return select(config).finally(() => input.off('keypress', onKey));
  };
}

async function useColor(globals: GlobalOptions): Promise<boolean> {
  const { default: chalk } = await import('chalk');
  return globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
}

async function runCoach(file: string | undefined, options: CoachCommandOptions, globals: GlobalOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('coach is interactive and needs a terminal; use `huashu lint` to report the problems or `huashu fix` to apply the safe fixes');
  }
  const [{ lintDocument }, { formatOf }, { decodeBytes }, write, { CoachSession, UnreadableDraftError, RefusedChangeError }, ui, clipboard, prompts, guard, nodes] = await Promise.all([
    import('../inputs/lint-document.js'),
    import('../inputs/kinds.js'),
    import('../inputs/files.js'),
    import('../inputs/write.js'),
    import('../coach/session.js'),
    import('../coach/ui.js'),
    import('../coach/clipboard.js'),
    import('@inquirer/prompts'),
    import('../coach/guard.js'),
    import('../coach/textnode.js'),
  ]);
  // The underlines measure whatever the user pastes: the full width tables (string-width) from the start.
  await (await import('../formatters/stylish.js')).loadCellWidths();
  // The config found from the draft's folder upward (the working directory's for a pasted draft), or
  // --config: its packs, severities, `off` and placeholders, as `lint` uses them.
  const { ConfigCache } = await import('../config/index.js');
  const configured = await new ConfigCache(options.config, options.rules ?? []).rulesFor(file);
  const set = configured.set;
  await checkRuleNames('--only', options.only ?? [], set);
  await checkRuleNames('--disable', options.disable ?? [], set);
  const disable = [...(options.disable ?? []), ...configured.off];
  let placeholders: import('../inputs/placeholders.js').PlaceholderPattern[] | undefined;
  if (configured.config.placeholders.length) {
    try {
      placeholders = (await import('../inputs/placeholders.js')).placeholderPatterns(configured.config.placeholders);
    } catch (e) {
      throw new UsageError(`placeholder pattern: ${(e as Error).message}`);
    }
  }
  const color = await useColor(globals);
  const out = (s: string) => void process.stdout.write(s);

  let text: string;
  let saveTo: { path: string; encoding: import('../inputs/files.js').Encoding; snapshot: import('../inputs/write.js').FileSnapshot } | undefined;
  if (file !== undefined) {
    let read;
    try {
      read = await write.readWithSnapshot(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTREG/EFBIG (a FIFO, a device, too large) carry their own message.
      const said = code === 'ENOTREG' || code === 'EFBIG' ? (e as Error).message : code;
      throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (said ?? (e as Error).message)}`);
    }
    const decoded = decodeBytes(read.bytes);
    if (!('text' in decoded)) throw new UsageError(`${file}: ${decoded.error.replace(/, skipped$/, '')}`);
    text = decoded.text;
    saveTo = { path: file, encoding: decoded.encoding, snapshot: read.snapshot };
  } else {
    const { readPastedDraft } = await import('../coach/paste.js');
    out('Paste or type the draft. Finish with Ctrl-D, or with two empty lines.\n');
    text = await readPastedDraft({ input: process.stdin, output: process.stdout });
    if (text.trim() === '') throw new UsageError('no draft: nothing was pasted');
  }

  const rulesById = new Map(set.rules.map((r) => [r.spec.id, r.spec] as const));
  // The team's own training documents (config `documents:`): their model replies are alternatives too.
  let teamDocs: { library: import('../explain/team-docs.js').TeamLibrary; withTeamAlternatives: typeof import('../explain/team-docs.js').withTeamAlternatives } | undefined;
  if (configured.config.documents.length) {
    const { loadTeamLibrary, withTeamAlternatives } = await import('../explain/team-docs.js');
    const library = await loadTeamLibrary(configured.config.documents, set);
    for (const p of library.problems) process.stderr.write(`huashu: warning: ${p.path}: ${p.error} (a team document; huashu docs lists them)\n`);
    teamDocs = { library, withTeamAlternatives };
  }
  // The readers `lint` uses, chosen by the file's name: Markdown code, HTML comments and the like are not
  // the reply, and findings point back into the file as it is.
  const format = file !== undefined ? (formatOf(file) ?? 'text') : 'text';
  const original = text;
  const session = new CoachSession(
    text,
    (t) => {
      const r = lintDocument(file ?? '-', t, set, { only: options.only, disable, format, ...(placeholders ? { placeholders } : {}) });
      if ('error' in r) throw new UnreadableDraftError(r.error);
      // never a change that breaks the file's structure or loses a placeholder
      const unsafe = t === original ? undefined : guard.unsafeChange(format, original, t);
      if (unsafe !== undefined) throw new RefusedChangeError(unsafe);
      return teamDocs ? teamDocs.withTeamAlternatives(teamDocs.library, r.findings, t) : r.findings;
    },
    nodes.textNodes(format),
  );
  try {
    void session.findings;
  } catch (e) {
    if (e instanceof UnreadableDraftError) throw new UsageError(`${file ?? 'the draft'}: ${e.message}`);
    throw e;
  }
  const tool = clipboard.findClipboardTool();
  const uiOptions = {
    prompts: { select: pickingSelect(prompts.select as CoachPrompts['select'], process.stdin), input: prompts.input } as CoachPrompts,
    write: out,
    color,
    rules: rulesById,
    name: file ?? 'the draft',
    endings: [...(saveTo ? (['save'] as const) : []), 'print', ...(tool ? (['copy'] as const) : []), 'discard'] as const,
    columns: () => process.stdout.columns,
    saveLabel: saveTo && options.backup ? `save to ${saveTo.path} (the old version kept as ${saveTo.path}.bak)` : saveTo ? `save to ${saveTo.path}` : undefined,
  };

  await ui.walk(session, uiOptions);
  const ending = await ui.finish(session, uiOptions);
  const draft = session.text;
  switch (ending) {
    case undefined:
      return EXIT_OK;
    case 'save': {
      const target = saveTo!;
      const unsafe = guard.unsafeChange(format, original, draft);
      if (unsafe !== undefined) {
        out(`\n${draft}${draft.endsWith('\n') ? '' : '\n'}`);
        throw new UsageError(`${target.path}: not saved: ${unsafe}; the coached draft is printed above`);
      }
      try {
        await write.writeFileAtomic(target.path, write.encodeText(draft, target.encoding), {
          expect: target.snapshot,
          backupPath: options.backup ? `${target.path}.bak` : undefined,
        });
      } catch (e) {
        // Never lose the agent's work: the draft goes to the terminal instead.
        out(`\n${draft}${draft.endsWith('\n') ? '' : '\n'}`);
        if (e instanceof write.ChangedOnDiskError) throw new UsageError(`${e.message}; the coached draft is printed above`);
        throw new UsageError(`${target.path}: cannot save (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the coached draft is printed above`);
      }
      out(`saved ${target.path}${options.backup ? ` (old version: ${target.path}.bak)` : ''}\n`);
      return EXIT_OK;
    }
    case 'print':
      out(`\n${draft}${draft.endsWith('\n') ? '' : '\n'}`);
      return EXIT_OK;
    case 'copy':
      try {
        await clipboard.copyToClipboard(tool!, draft);
      } catch (e) {
        out(`\n${draft}${draft.endsWith('\n') ? '' : '\n'}`);
        throw new UsageError(`clipboard: ${(e as Error).message}; the coached draft is printed above`);
      }
      out(`copied to the clipboard (${tool!.command})\n`);
      return EXIT_OK;
    case 'discard':
      out('discarded; nothing saved\n');
      return EXIT_OK;
  }
}

export function addCoachCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('coach')
    .description('walk a draft problem by problem in the terminal and pick better wording')
    .argument('[file]', 'the draft to coach (default: paste or type it)')
    .option('-c, --config <file>', "use this config file (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from the draft's folder upward; for a pasted draft, the working directory's)")
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--only <names>', 'keep only these rules (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--disable <names>', 'turn these rules off (ids, categories, packs or prefix/*; comma-separated, repeatable)', collectList)
    .option('--no-backup', 'do not keep the old version as <file>.bak when saving')
    .addHelpText(
      'after',
      `
For each problem: the sentence, why (from the training material), and the alternatives in the draft's
own script. Enter takes a replacement only where one fits and is marked safe, and otherwise skips
(keeps the draft as written); at the end it saves. Keys: 1-9 take that alternative at once; arrows move,
Enter takes the highlighted choice; the menu also offers edit by hand, skip, ignore the rule for this
session, undo, and stop. A rewrite changes only the sentence inside its text node (a JSON string, a
Markdown paragraph or list item, an HTML text node); a change that would break the file's structure or
lose a placeholder ({{…}}, {…}, %s) is refused, and so is saving such a file.

Needs a terminal. Elsewhere use \`huashu lint\` (report) or \`huashu fix\` (apply the safe fixes).

Exit codes: 0 done (saved, printed, copied, discarded or nothing to do), 2 usage or I/O error
            (no terminal, unreadable file, file changed on disk meanwhile), 130 stopped with Ctrl-C.

Examples:
  huashu coach reply.txt
  huashu coach            # paste the draft, then Ctrl-D`,
    )
    .action(async (file: string | undefined, options: CoachCommandOptions, command: Command) => {
      try {
        setExitCode(await runCoach(file, options, command.optsWithGlobals<GlobalOptions & CoachCommandOptions>()));
      } catch (e) {
        if (e instanceof Error && e.name === 'ExitPromptError') {
          process.stderr.write('huashu: coach stopped; nothing saved\n');
          setExitCode(EXIT_INTERRUPTED);
          return;
        }
        throw e;
      }
    });
}
