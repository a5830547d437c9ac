// `huashu docs`: the team's own training documents (config `documents:`), what huashu extracted from
// each (model replies, with section, line, category and topic) and the documents it could not read.
import { Command, Option } from 'commander';
import { EXIT_OK, EXIT_USAGE } from './errors.js';
import type { GlobalOptions } from './index.js';
import { printable } from './printable.js';

const DOCS_FORMATS = ['text', 'json'] as const;

interface DocsCommandOptions {
  config?: string;
  format: (typeof DOCS_FORMATS)[number];
}

async function runDocs(options: DocsCommandOptions, globals: GlobalOptions): Promise<number> {
  const [{ ConfigCache }, { loadTeamLibrary }] = await Promise.all([import('../config/index.js'), import('../explain/team-docs.js')]);
  const configured = await new ConfigCache(options.config).rulesFor(undefined);
  const library = await loadTeamLibrary(configured.config.documents, configured.set);
  if (options.format === 'json') {
    process.stdout.write(JSON.stringify({ version: 1, config: configured.config.file ?? null, ...library }, null, 2) + '\n');
  } else {
    const { default: chalk, Chalk } = await import('chalk');
    const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
    const c = new Chalk({ level: color ? 1 : 0 });
    let out = '';
    if (library.documents.length === 0) {
      out += `no team documents: add \`documents: [docs/話術手冊.md]\` to ${configured.config.file ?? 'a huashu.config.yaml'}\n`;
    }
    for (const doc of library.documents) {
      const replies = library.replies.filter((r) => r.doc === doc);
      if (replies.length === 0) continue;
      out += `${c.underline(printable(doc))}\n`;
      for (const r of replies) {
        const what = r.categories.length ? r.categories.join(', ') : 'no category';
        const topics = r.topics.length ? ` · ${r.topics.join(', ')}` : '';
        const flagged = r.flaggedBy.length ? c.red(`  not offered: flagged by ${r.flaggedBy.join(', ')}`) : '';
        out += `  ${String(r.line).padStart(4)}  ${c.dim(`§ ${printable(r.section)}`)}  ${c.dim(`[${what}${topics}]`)}${flagged}\n        ${c.green(printable(r.text))}\n`;
      }
    }
    const offered = library.replies.filter((r) => r.flaggedBy.length === 0 && r.categories.length > 0).length;
    out += `${library.replies.length} model ${library.replies.length === 1 ? 'reply' : 'replies'} from ${library.documents.length - new Set(library.problems.map((p) => p.path)).size} of ${library.documents.length} documents; ${offered} offered as alternatives\n`;
    process.stdout.write(out);
  }
  for (const p of library.problems) process.stderr.write(`huashu: ${printable(p.path)}: ${p.error}\n`);
  return library.problems.length ? EXIT_USAGE : EXIT_OK;
}

export function addDocsCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('docs')
    .description("list the model replies huashu takes from the team's own training documents (config `documents:`)")
    .option('-c, --config <file>', 'use this config file (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from the working directory upward)')
    .addOption(new Option('-f, --format <name>', 'output format').choices(DOCS_FORMATS).default('text'))
    .addHelpText(
      'after',
      `
A model reply is a line marked 正確示範, 推薦話術, 範例, 改為, 建議說 (the 「quoted」 text, or what follows
the colon, or the next line). Its category comes from the wrong examples (錯誤示範) in the same section,
as huashu's rules flag them, or from the section's words; its topic from its words (delivery, refund,
repair, …). \`lint\` and \`coach\` offer it for findings of that category and topic, cited by file, line
and section. A model reply that a rule flags itself is listed but never offered.

Exit codes: 0 every document read, 2 a document that could not be read (missing, not UTF-8, not
            Markdown/text/HTML, no model replies) or a config error.

Examples:
  huashu docs
  huashu docs --format json`,
    )
    .action(async (options: DocsCommandOptions, command: Command) => {
      setExitCode(await runDocs(options, command.optsWithGlobals<GlobalOptions & DocsCommandOptions>()));
    });
}
