// `huashu explain <rule-id|category>`: the teaching page of a rule, or of every rule in a category or pack.
import { Command, Option } from 'commander';
import { EXIT_OK, UsageError } from './errors.js';
import type { GlobalOptions } from './index.js';
import { collect } from './lint.js';

const EXPLAIN_FORMATS = ['text', 'json'] as const;

interface ExplainCommandOptions {
  config?: string;
  format: (typeof EXPLAIN_FORMATS)[number];
  rules?: string[];
  seeds?: string;
}


async function runExplain(name: string, options: ExplainCommandOptions, globals: GlobalOptions): Promise<number> {
  const [{ prepareRendering }, { lintText }, page, { seedsDir }, { didYouMean }] = await Promise.all([
    import('../normalize/render.js'),
    import('../engine/lint.js'),
    import('../explain/page.js'),
    import('../explain/seeds.js'),
    import('../rules/errors.js'),
  ]);
  // A seeds folder that is not there would silently drop every passage: say so instead.
  const seeds = seedsDir(options.seeds);
  if (seeds !== undefined) {
    const { stat } = await import('node:fs/promises');
    const where = options.seeds !== undefined ? '--seeds' : 'HUASHU_SEEDS';
    const info = await stat(seeds).catch(() => undefined);
    if (!info) throw new UsageError(`${where}: ${seeds}: no such directory`);
    if (!info.isDirectory()) throw new UsageError(`${where}: ${seeds}: not a directory`);
  }
  // The rules the config here (found from the working directory upward, or --config) puts in effect:
  // its team packs, its severities; a rule it turns off is shown as off.
  const [{ ConfigCache }, { packFiles, readPack }] = await Promise.all([import('../config/index.js'), import('../rules/load.js')]);
  const configs = new ConfigCache(options.config, options.rules ?? []);
  const configured = await configs.rulesFor(undefined);
  const set = configured.set;
  const packs = await Promise.all([...configured.config.packs, ...(await Promise.all((options.rules ?? []).map(packFiles))).flat()].map(readPack));
  const off = new Set(configured.off);
  const specs = page.selectRules(set, name);
  if (specs.length === 0) {
    throw new UsageError(`explain: no rule, category or pack named '${name}'${didYouMean(name, page.explainNames(set))} (huashu explain overpromise lists a category)`);
  }
  // Examples and alternatives are shown in both scripts.
  await prepareRendering();
  const lint = (text: string, ruleId: string) => lintText(text, set, { only: [ruleId] });
  const pages = [];
  if (seeds !== undefined) {
    // A folder that does not hold the cited documents would also drop every passage silently.
    const [{ existsSync }, { join }, { seedDocument }] = await Promise.all([import('node:fs'), import('node:path'), import('../explain/sources.js')]);
    const cited = [...new Set(specs.flatMap((r) => [...(r.why ? [r.why.source.doc] : []), ...r.suggest.flatMap((x) => (x.source ? [x.source.doc] : []))]))].filter((d) => seedDocument(d));
    const missing = cited.filter((d) => !existsSync(join(seeds, d)));
    const where = options.seeds !== undefined ? '--seeds' : 'HUASHU_SEEDS';
    if (cited.length > 0 && missing.length === cited.length) {
      throw new UsageError(`${where}: ${seeds}: none of the cited training documents is there (${missing.join(', ')})`);
    }
    for (const d of missing) process.stderr.write(`huashu: warning: ${where}: ${seeds}: ${d} is not there; its passages are not shown\n`);
  }
  const documents = configured.config.documents;
  const team = documents.length ? await (await import('../explain/team-docs.js')).loadTeamLibrary(documents, set) : undefined;
  for (const p of team?.problems ?? []) process.stderr.write(`huashu: warning: ${p.path}: ${p.error} (a team document; huashu docs lists them)\n`);
  for (const spec of specs) {
    const p = await page.rulePage(spec, { seeds, lint, documents, team });
    if (off.has(spec.id)) p.severity = 'off';
    if (configured.config.file) p.config = configured.config.file;
    pages.push(p);
  }

  if (options.format === 'json') {
    process.stdout.write(JSON.stringify({ version: 1, name, rules: pages }, null, 2) + '\n');
    return EXIT_OK;
  }
  const { default: chalk } = await import('chalk');
  const color = globals.color === true || (globals.color !== false && !process.env['NO_COLOR'] && chalk.level > 0);
  let out = '';
  if (specs.length > 1 || specs[0]!.id !== name) {
    const description = packs.find((p) => p.pack === name)?.description ?? packs.find((p) => p.rules.some((r) => r.category === name))?.description;
    out += page.formatCategoryHeader(name, specs.length, description, color);
  }
  out += pages.map((p) => page.formatRulePage(p, color)).join('\n');
  process.stdout.write(out);
  return EXIT_OK;
}

export function addExplainCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('explain')
    .description('teach a rule: what it catches, why (with the training material), examples, alternatives')
    .argument('<rule-id|category>', 'a rule id (negative/complaint-noun), a category (overpromise, negative, blame) or a pack')
    .addOption(new Option('-f, --format <name>', 'output format').choices(EXPLAIN_FORMATS).default('text'))
    .option('-c, --config <file>', 'use this config file (default: huashu.config.yaml, .huashurc.yaml or .huashurc.json from the working directory upward)')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--seeds <dir>', 'folder of the cited training documents, to quote the cited passages (default: $HUASHU_SEEDS)')
    .addHelpText(
      'after',
      `
Without the training documents the page shows each citation (document and section) but not the passage.

Exit codes: 0 shown, 2 unknown rule or category (with a did-you-mean), a seeds folder that is not
            there, or a rule pack that does not load.

Examples:
  huashu explain negative/complaint-noun
  huashu explain overpromise --seeds path/to/training-docs`,
    )
    .action(async (name: string, options: ExplainCommandOptions, command: Command) => {
      setExitCode(await runExplain(name, options, command.optsWithGlobals<GlobalOptions & ExplainCommandOptions>()));
    });
}
