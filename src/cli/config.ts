// `huashu config --print <file>`: the effective config for a file, like eslint --print-config.
// `huashu init`: a commented starter huashu.config.yaml; never overwrites.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_OK, UsageError } from './errors.js';
import { collect } from './lint.js';

async function printConfig(file: string, options: { config?: string; rules?: string[] }): Promise<number> {
  const { ConfigCache, ignoredBy } = await import('../config/index.js');
  const stdin = file === '-';
  const cache = new ConfigCache(options.config, options.rules ?? []);
  const { config, set, off } = await cache.rulesFor(stdin ? undefined : file);
  const effective = {
    file: stdin ? '<stdin>' : file,
    config: config.file ?? null,
    ignored: stdin ? false : (ignoredBy(config, file) ?? false),
    extends: config.extends,
    packs: config.packs,
    rules: Object.fromEntries(set.rules.map((r) => [r.spec.id, off.includes(r.spec.id) ? 'off' : r.spec.severity])),
    overrides: config.rules.map((o) => ({ selector: o.selector, setting: o.setting, ...(o.at ? { at: `${o.at.file}:${o.at.line}:${o.at.column}` } : {}) })),
    dictionary: config.dictionary,
    ignore: config.ignore,
    placeholders: config.placeholders,
    // huashu audit's scoring model (audit/scoring.ts DEFAULT_SCORING when the config sets none).
    audit: config.audit?.scoring ? { scoring: config.audit.scoring } : null,
    documents: config.documents,
  };
  process.stdout.write(JSON.stringify(effective, null, 2) + '\n');
  return EXIT_OK;
}

/**
 * `config` has no subcommands: a word after it is a mistake, most likely `huashu config init` for
 * `huashu init` or `config print` for `config --print`. Say which, as for an unknown command.
 */
async function noSubcommand(word: string): Promise<never> {
  const { didYouMean } = await import('../rules/errors.js');
  if (word === 'init' || didYouMean(word, ['init']) !== '') throw new UsageError(`config: unknown subcommand '${word}' — did you mean 'huashu init'? (it writes a starter config)`);
  if (word === 'print' || didYouMean(word, ['print']) !== '') throw new UsageError(`config: unknown subcommand '${word}' — did you mean 'huashu config --print <file>'?`);
  throw new UsageError(`config: unknown subcommand '${word}': huashu config --print <file> shows a file's config, huashu init writes a starter config`);
}

export function addConfigCommand(program: Command, setExitCode: (code: number) => void): Command {
  return (
    program
      .command('config')
      .description('show the effective config for a file (presets, packs, every rule’s severity, dictionary, ignore, placeholders) as JSON')
      // Not listed in the help (no description): only there to catch `huashu config init`.
      .argument('[words...]')
      .usage('--print <file> [options]')
      .option('--print <file>', 'the file whose config to show (- for standard input: the working directory’s)')
      .option('-c, --config <file>', 'use this config instead of searching from the file’s folder upward')
      .option('-r, --rules <file|dir>', 'extra rule pack, as lint --rules; repeatable', collect)
      .action(async (words: string[], options: { print?: string; config?: string; rules?: string[] }) => {
        if (words.length > 0) await noSubcommand(words[0]!);
        if (options.print === undefined) throw new UsageError("config: --print <file> is required (huashu config --print reply.txt); huashu init writes a starter config");
        setExitCode(await printConfig(options.print, options));
      })
  );
}

export const STARTER_CONFIG = `# huashu config (docs/rules.md, README "Config").
# It applies to drafts in this folder and below; the nearest config wins.
# \`huashu config --print <file>\` shows what applies to a file.

# Presets and packs, applied in order (a later one wins):
#   huashu:recommended  the built-in overpromise / negative / blame packs (the default)
#   huashu:strict       recommended + rules for what is missing (a promise with no timeframe, …)
#   ./team-rules.yaml   a local pack file or folder, or another config
#   huashu-pack-acme    an npm package whose package.json "huashu" field names its packs
extends:
  - huashu:recommended

# Severity by rule id, category, pack or prefix/*: error | warning | info | off.
# A rule id beats its category; see \`huashu rules list\`.
rules:
  # overpromise: warning
  # negative/problem-noun: off

# Words the segmenter keeps whole: brands and products, optionally with a tag ("小米手機 nz").
dictionary:
  # - 小米手機

# Files not to lint: globs relative to this file.
ignore:
  # - archive/**

# Template variables in drafts, as regular expressions.
placeholders:
  # - '\\{\\{\\s*\\w+\\s*\\}\\}'

# huashu audit's scores: each conversation starts at base and loses points per finding; a fatal
# rule (致命项) sets it to 0; it passes at the pass mark. Points per rule id, category or prefix/*.
# audit:
#   scoring:
#     base: 100
#     points: { error: 10, warning: 5, info: 0 }
#     rules: { overpromise/guarantee: 15 }
#     fatal: []
#     pass: 80
`;

/** Write `text` to `path` unless it exists: temp file in the same folder, fsync, then link (never replaces). */
async function createExclusive(path: string, text: string): Promise<void> {
  const { PendingFile } = await import('../inputs/write.js');
  const file = await PendingFile.open(path);
  try {
    await file.write(text);
  } catch (e) {
    await file.abort();
    throw e;
  }
  await file.commit(undefined, { exclusive: true });
}

async function init(dir: string): Promise<number> {
  const { CONFIG_FILES } = await import('../config/parse.js');
  const existing = CONFIG_FILES.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (existing) throw new UsageError(`${existing} already exists; not overwriting it`);
  const target = join(dir, CONFIG_FILES[0]);
  try {
    await createExclusive(target, STARTER_CONFIG);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${target} already exists; not overwriting it`);
    throw new UsageError(`cannot write ${target}: ${code ?? (e as Error).message}`);
  }
  process.stdout.write(`wrote ${target}\n`);
  return EXIT_OK;
}

export function addInitCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('init')
    .description('write a commented starter huashu.config.yaml (refuses to overwrite an existing config)')
    .argument('[dir]', 'folder to write it in', '.')
    .action(async (dir: string) => {
      if (!existsSync(dir)) throw new UsageError(`${dir}: no such directory`);
      setExitCode(await init(dir));
    });
}
