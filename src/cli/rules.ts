// `huashu rules list | show <id> | test [packs...]`: what rules are in effect, what one of them says and
// where it comes from, and whether every rule still fires on its own examples.
import { Command, Option } from 'commander';
import type { ConfiguredRules } from '../config/index.js';
import type { CompiledRule } from '../rules/compile.js';
import type { RuleSpec } from '../rules/types.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors.js';
import type { GlobalOptions } from './index.js';
import { citeText } from '../explain/sources.js';
import type { SourceRef } from '../rules/types.js';

interface CommonOptions {
  config?: string;
  rules?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The rules of the config that applies here (the working directory, or --config), plus --rules packs. */
async function configuredRules(options: CommonOptions): Promise<ConfiguredRules> {
  const { ConfigCache } = await import('../config/index.js');
  return new ConfigCache(options.config, options.rules ?? []).rulesFor(undefined);
}

const settingOf = (rule: CompiledRule, off: readonly string[]) => (off.includes(rule.spec.id) ? 'off' : rule.spec.severity);

async function pad(rows: string[][]): Promise<string> {
  const { default: stringWidth } = await import('string-width');
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => stringWidth(r[c]!))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - stringWidth(cell)))).join('  ')).join('\n') + '\n';
}

async function list(options: CommonOptions & { category?: string; format: 'table' | 'json' }): Promise<number> {
  const { set, off } = await configuredRules(options);
  const rules = set.rules.filter((r) => !options.category || r.spec.category === options.category);
  if (options.category && rules.length === 0) {
    const { didYouMean } = await import('../rules/errors.js');
    const categories = [...new Set(set.rules.map((r) => r.spec.category))].sort();
    throw new UsageError(`--category: no rules in category '${options.category}'${didYouMean(options.category, categories)} (categories: ${categories.join(', ')})`);
  }
  const rows = rules.map((r) => ({ id: r.spec.id, category: r.spec.category, severity: settingOf(r, off), kind: r.spec.kind, pack: r.spec.pack, file: r.spec.location.file }));
  if (options.format === 'json') process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else process.stdout.write(await pad([['id', 'category', 'severity', 'kind', 'pack'], ...rows.map((r) => [r.id, r.category, r.severity, r.kind, r.pack])]));
  return EXIT_OK;
}

function describe(spec: RuleSpec, setting: string): string {
  const out: string[] = [];
  const cite = (s?: SourceRef) => (s ? `  (${citeText(s)})` : '');
  out.push(`${spec.id}  ${spec.kind} · ${spec.category} · ${setting} · pack ${spec.pack}`);
  out.push(`  ${spec.location.file}:${spec.location.line}:${spec.location.column}`, '');
  out.push(spec.message);
  if (spec.description) out.push(spec.description);
  if (spec.why) out.push('', `why: 「${spec.why.quote}」`, `     — ${citeText(spec.why.source)}`);
  out.push('', 'match:');
  if (spec.match.phrases?.length) out.push(`  phrases: ${spec.match.phrases.join(', ')}${spec.boundary === 'token' ? '  (whole words)' : ''}`);
  for (const p of spec.match.patterns ?? []) out.push(`  pattern: ${p}`);
  for (const s of spec.match.sequences ?? []) out.push(`  sequence: ${s}`);
  if (spec.lacks) out.push(`  lacking in the ${spec.lacks.scope}: ${spec.lacks.words.join(', ')}`);
  const u = spec.unless;
  if (u) {
    out.push('unless:');
    for (const key of ['before', 'after', 'clause', 'sentence', 'line'] as const) if (u[key]?.length) out.push(`  ${key}: ${u[key]!.join(', ')}`);
    if (u.window) out.push(`  window: ${u.window}`);
  }
  const ex = spec.examples;
  if (ex?.bad?.length || ex?.good?.length) {
    out.push('', 'examples:');
    ex.bad?.forEach((t, i) => out.push(`  ✗ ${t}${ex.spans?.[i] ? `   (flags 「${ex.spans[i]}」)` : ''}`));
    for (const t of ex.good ?? []) out.push(`  ✓ ${t}`);
  }
  if (spec.suggest.length) {
    out.push('', 'suggestions:');
    for (const s of spec.suggest) out.push(`  → ${s.kind === 'replace' ? s.text : `${s.text}  [rewrite]`}${cite(s.source)}`);
  }
  return out.join('\n') + '\n';
}

async function show(id: string, options: CommonOptions & { format: 'text' | 'json' }): Promise<number> {
  const { set, off } = await configuredRules(options);
  const rule = set.rules.find((r) => r.spec.id === id);
  if (!rule) {
    const { didYouMean } = await import('../rules/errors.js');
    throw new UsageError(`no rule '${id}'${didYouMean(id, set.rules.map((r) => r.spec.id))} (see huashu rules list)`);
  }
  const setting = settingOf(rule, off);
  // The rule as its pack defines it: not what the build precomputed to compile a built-in one.
  if (options.format === 'json') process.stdout.write(JSON.stringify({ ...rule.spec, severity: setting, precomputed: undefined }, null, 2) + '\n');
  else process.stdout.write(describe(rule.spec, setting));
  return EXIT_OK;
}

async function test(packs: string[], options: CommonOptions & { format: 'text' | 'json'; verbose?: boolean }): Promise<number> {
  const [{ selfTest }, { loadRules }] = await Promise.all([import('../rules/selftest.js'), import('../rules/load.js')]);
  // Packs named: just those. None: the rules the config here applies (by default the built-in packs).
  const set = packs.length ? await loadRules({ builtin: false, packs }) : (await configuredRules(options)).set;
  // Testing nothing must not pass.
  if (set.rules.length === 0) throw new UsageError(`no rules to test in ${packs.length ? packs.join(', ') : 'the config in effect'}`);
  const report = selfTest(set);
  const count = (severity: string) => report.problems.filter((p) => p.severity === severity).length;
  const [failures, warnings, notes] = [count('failure'), count('warning'), count('note')];
  if (options.format === 'json') {
    process.stdout.write(JSON.stringify({ ...report, failures, warnings, notes }, null, 2) + '\n');
  } else {
    const label = { failure: 'FAIL', warning: 'warn', note: 'note' } as const;
    const lines = report.problems
      .filter((p) => options.verbose || p.severity !== 'note')
      .map((p) => `${label[p.severity]}  ${p.ruleId}  ${p.location}\n      ${p.message}${p.example !== undefined ? `\n      「${p.example}」` : ''}`);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const summary =
      `${failures ? '✖' : '✔'} ${report.rules} rules, ${report.examples} examples: ${plural(failures, 'failure')}, ${plural(warnings, 'warning')}` +
      (notes && !options.verbose ? ` (${notes} ${notes === 1 ? 'pattern or sequence has' : 'patterns or sequences have'} no bad example: --verbose)` : '');
    process.stdout.write([...lines, summary].join('\n') + '\n');
  }
  return failures ? EXIT_FINDINGS : EXIT_OK;
}

export function addRulesCommand(program: Command, setExitCode: (code: number) => void): Command {
  const rules = program.command('rules').description('list, show and test rules').helpCommand(false);
  const common = (c: Command) =>
    c
      .option('-c, --config <file>', 'use this config (default: the one found from the working directory upward)')
      .option('-r, --rules <file|dir>', 'extra rule pack; repeatable', collect);
  common(
    rules
      .command('list')
      .description('the rules in effect: id, category, severity, kind, pack')
      .option('--category <name>', 'only this category')
      .addOption(new Option('-f, --format <name>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (options, command: Command) => setExitCode(await list(command.optsWithGlobals())));
  common(
    rules
      .command('show')
      .description('one rule: message, the seed passage it comes from, matching, examples, suggestions')
      .argument('<id>', 'rule id, e.g. overpromise/guarantee')
      .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text')),
  ).action(async (id: string, options, command: Command) => setExitCode(await show(id, command.optsWithGlobals())));
  common(
    rules
      .command('test')
      .description("run every rule's examples (bad must be flagged, at its span if given; good must not) and warn about rules that may match nothing")
      .argument('[packs...]', 'pack files or folders (default: the rules of the config in effect)')
      .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
      .option('-v, --verbose', 'also list each pattern or sequence that no bad example shows firing')
      .addHelpText('after', '\nExit codes: 0 every example passes, 1 a failure, 2 a pack that does not load.'),
  ).action(async (packs: string[], options, command: Command) => setExitCode(await test(packs, command.optsWithGlobals<GlobalOptions & CommonOptions & { format: 'text' | 'json'; verbose?: boolean }>())));
  return rules;
}
