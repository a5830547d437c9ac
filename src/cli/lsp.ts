// `huashu lsp --stdio`: a Language Server Protocol server for editors (src/lsp). It speaks JSON-RPC on
// standard input and output, so nothing else may be written to standard output; it exits when the editor
// closes the connection (or sends exit).
import { Command } from 'commander';
import { UsageError } from './errors.js';
import { collect } from './lint.js';

interface LspCommandOptions {
  stdio?: boolean;
  config?: string;
  rules?: string[];
}

export function addLspCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('lsp')
    .description('language server for editors (VS Code, Neovim, …): diagnostics, quick fixes, hover')
    .option('--stdio', 'talk JSON-RPC on standard input and output (the only transport; editors pass it)')
    .option('-c, --config <file>', 'use this config file for every document (default: the one found from each file\'s folder upward)')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .addHelpText(
      'after',
      `
Documents are linted as huashu lint lints the file of that name: reader by extension (by the editor's
language for an unsaved buffer), config found from the file's folder upward, placeholders and
directives honoured. Quick fixes apply safe replacements or add a huashu-disable-line comment; hovering a
finding shows the rule's explanation and source. A changed config re-lints the open documents.

Examples (README.md, "Editors"):
  nvim: vim.lsp.start({ name = 'huashu', cmd = { 'huashu', 'lsp', '--stdio' } })`,
    )
    .action(async (options: LspCommandOptions) => {
      if (!options.stdio) throw new UsageError('lsp: only --stdio is supported (huashu lsp --stdio)');
      const { startLanguageServer } = await import('../lsp/server.js');
      const connection = startLanguageServer({ config: options.config, rules: options.rules });
      // Runs until the client sends exit (the library then ends the process) or closes standard input.
      await new Promise<void>((resolve) => {
        connection.onExit(() => resolve());
        process.stdin.once('end', () => resolve());
        process.stdin.once('close', () => resolve());
      });
      setExitCode(0);
    });
}
