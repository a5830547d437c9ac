// The real command line for rule authoring: huashu init, config --print, rules list/show/test, and lint
// with configs found from each file's folder upward, --config, directives and team packs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/findings.js';
import { fileWriter } from './helpers/files.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function huashu(args: string[], cwd = ROOT, input = ''): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env, timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const findings = (r: Run): Finding[] => (JSON.parse(r.stdout) as { files: { findings: Finding[] }[] }).files.flatMap((f) => f.findings);

let tmp: string;
const file = fileWriter(() => tmp);

const DRAFT = '您的包裹一定會在明天送到，我保證。\n這個不能退。\n';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-config-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('huashu init', () => {
  it('writes a commented starter that loads, and refuses to overwrite it', () => {
    const dir = join(tmp, 'init');
    mkdirSync(dir);
    const first = huashu(['init'], dir);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const text = readFileSync(join(dir, 'huashu.config.yaml'), 'utf8');
    expect(text).toMatch(/^# huashu config/);
    expect(text).toContain('huashu:recommended');
    const print = huashu(['config', '--print', 'draft.txt'], dir);
    expect(print.code).toBe(0);
    expect(JSON.parse(print.stdout)).toMatchObject({ config: join(dir, 'huashu.config.yaml'), extends: ['huashu:recommended'], dictionary: [] });
    writeFileSync(join(dir, 'huashu.config.yaml'), 'rules: { blame: off }\n');
    const second = huashu(['init'], dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^huashu: .*huashu\.config\.yaml already exists; not overwriting it\n$/);
    expect(readFileSync(join(dir, 'huashu.config.yaml'), 'utf8')).toBe('rules: { blame: off }\n');
  });
});

describe('first steps (issue 19)', () => {
  it('every rule id and category the starter config names exists', () => {
    const dir = join(tmp, 'starter-ids');
    mkdirSync(dir, { recursive: true });
    expect(huashu(['init', dir]).code).toBe(0);
    const starter = readFileSync(join(dir, 'huashu.config.yaml'), 'utf8');
    const rules = JSON.parse(huashu(['rules', 'list', '--format', 'json']).stdout) as { id: string; category: string }[];
    const known = new Set([...rules.map((r) => r.id), ...rules.map((r) => r.category)]);
    // the `rules:` section's entries, commented out or not: "  # negative/problem-noun: off"
    const section = starter.slice(starter.indexOf('\nrules:'), starter.indexOf('\ndictionary:'));
    const named = [...section.matchAll(/^\s*#?\s*([a-z][\w-]*(?:\/[\w*-]+)?):\s*(?:error|warning|info|off)\s*$/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(1);
    expect(named.filter((n) => !known.has(n))).toEqual([]);
    // and with those lines switched on, the config loads
    writeFileSync(join(dir, 'huashu.config.yaml'), starter.replace(/^(\s*)# ([\w/-]+: (?:error|warning|info|off))$/gm, '$1$2'));
    expect(huashu(['config', '--print', join(dir, 'x.txt')])).toMatchObject({ code: 0, stderr: '' });
  });

  it('a word after config gets a did-you-mean, as an unknown command does', () => {
    expect(huashu(['config', 'init'])).toMatchObject({ code: 2, stdout: '', stderr: "huashu: config: unknown subcommand 'init' — did you mean 'huashu init'? (it writes a starter config)\n" });
    expect(huashu(['config', 'print', 'a.txt']).stderr).toBe("huashu: config: unknown subcommand 'print' — did you mean 'huashu config --print <file>'?\n");
    expect(huashu(['config']).stderr).toBe('huashu: config: --print <file> is required (huashu config --print reply.txt); huashu init writes a starter config\n');
    expect(huashu(['config', '--help']).stdout).toMatch(/^Usage: huashu config --print <file> \[options\]\n/);
  });
});

describe('lint with a config', () => {
  it('uses the config found from each file’s folder upward: severities, off, ignore', () => {
    file('team/huashu.config.yaml', 'rules:\n  overpromise: info\n  overpromise/guarantee: warning\n  negative/refusal: off\nignore: [archive/**]\n');
    file('team/drafts/a.txt', DRAFT);
    file('team/archive/old.txt', DRAFT);
    file('other/a.txt', DRAFT);
    const team = huashu(['lint', '--format', 'json', join(tmp, 'team')]);
    const got = findings(team).map((f) => `${f.ruleId}:${f.severity}`);
    expect(got).toEqual(['overpromise/definitely-will:info', 'overpromise/guarantee:warning']);
    expect(team.code).toBe(0); // no error-level finding left
    expect((JSON.parse(team.stdout) as { files: unknown[] }).files).toHaveLength(1); // archive/ ignored
    const other = huashu(['lint', '--format', 'json', join(tmp, 'other/a.txt')]);
    expect(findings(other).map((f) => `${f.ruleId}:${f.severity}`)).toEqual(['overpromise/definitely-will:error', 'overpromise/guarantee:error', 'negative/refusal:warning']);
    expect(other.code).toBe(1);
  });

  it('says so when a file named on the command line is ignored', () => {
    const r = huashu(['lint', join(tmp, 'team/archive/old.txt')]);
    expect(r.stderr).toContain(`huashu: warning: ${join(tmp, 'team/archive/old.txt')}: ignored by ${join(tmp, 'team/huashu.config.yaml')} (ignore: 'archive/**')`);
    expect(r.code).toBe(0);
  });

  it('--config overrides the search; a dictionary word stops a phrase inside a product name', () => {
    const cfg = file('dict.yaml', 'extends: [huashu:recommended]\ndictionary: [保證寶]\n');
    const draft = '推薦您開通保證寶服務。\n';
    expect(findings(huashu(['lint', '--format', 'json', '-'], ROOT, draft)).map((f) => f.ruleId)).toEqual(['overpromise/guarantee']);
    expect(findings(huashu(['lint', '--format', 'json', '--config', cfg, '-'], ROOT, draft))).toEqual([]);
  });

  it('turns on huashu:strict rules, and honours inline directives', () => {
    const cfg = file('strict/.huashurc.json', '{ "extends": ["huashu:strict"] }\n');
    const draft = '好的，這邊會盡快給您處理的。\n<!-- huashu-disable-next-line completeness -->\n好的，這邊會盡快給您處理的。\n';
    const r = huashu(['lint', '--format', 'json', '--config', cfg, '-'], ROOT, draft);
    expect(findings(r).map((f) => `${f.ruleId}@${f.line}:${f.column}「${f.excerpt}」`)).toEqual(['completeness/commitment-without-timeframe@1:6「會盡快給您處理」']);
  });

  it('--report-unused-directives warns about a directive that suppressed nothing', () => {
    const r = huashu(['lint', '--report-unused-directives', '-'], ROOT, '# huashu-disable-next-line blame\n謝謝您的耐心。\n');
    expect(r.stdout).toContain('unused huashu-disable-next-line directive');
    expect(r.code).toBe(0);
  });

  it('refuses a bad config with file:line:column and a hint, exit 2', () => {
    const cfg = file('bad/huashu.config.yaml', 'extends: [huashu:recommended]\nrules:\n  blame/customer-falt: off\n');
    file('bad/a.txt', DRAFT);
    const r = huashu(['lint', join(tmp, 'bad/a.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`huashu: ${cfg}:3:3: rules: no rule, category or pack named 'blame/customer-falt' — did you mean 'blame/customer-fault'?\n`);
  });
});

describe('team packs', () => {
  const rule = (id: string, extra = '') => `  - id: ${id}\n    category: overpromise\n    message: 不要承諾免運\n    match: { phrases: [包郵] }\n${extra}`;

  it('a typo, a bad sequence or a duplicate id is refused with file:line:column', () => {
    const typo = file('packs/typo.yaml', `pack: team\nrules:\n${rule('team/a', '    sugest: []\n')}`);
    expect(huashu(['lint', '-r', typo, '-'], ROOT, '好').stderr).toBe(`huashu: ${typo}:7:5: unknown key 'sugest' in rule 'team/a' — did you mean 'suggest'? (allowed: id, kind, category, severity, message, description, why, match, boundary, when, unless, lacks, suggest, answer, examples)\n`);
    const seq = file('packs/seq.yaml', "pack: team\nrules:\n  - id: team/s\n    kind: sequence\n    category: c\n    message: m\n    match: { sequences: ['包郵 <V>'] }\n");
    const r = huashu(['rules', 'test', seq]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^huashu: ${seq}:7:\\d+: rule 'team/s': invalid sequence: '<V>': a tag is lower-case letters`));
    const dup = file('packs/dup.yaml', `pack: dup\nrules:\n${rule('overpromise/guarantee')}`);
    expect(huashu(['rules', 'list', '-r', dup]).stderr).toMatch(/duplicate rule id 'overpromise\/guarantee': also defined at .*rules\/overpromise\.yaml:\d+:5/);
  });

  it('huashu rules test catches a bad example that no longer fires, and passes the built-in packs', () => {
    const stale = file('packs/stale.yaml', `pack: team\nrules:\n${rule('team/free-shipping', '    examples:\n      bad: [這單包郵！, 這單免運費！]\n      good: [運費依活動規則計算。]\n')}`);
    const r = huashu(['rules', 'test', stale]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`FAIL  team/free-shipping  ${stale}:3:5\n      bad example not flagged\n      「這單免運費！」\n✖ 1 rules, 3 examples: 1 failure, 0 warnings\n`);
    const builtin = huashu(['rules', 'test', 'rules', 'rules/extra', '--format', 'json']);
    expect(builtin.code).toBe(0);
    const report = JSON.parse(builtin.stdout) as { failures: number; warnings: number; rules: number };
    expect(report).toMatchObject({ failures: 0, warnings: 0 });
    expect(report.rules).toBeGreaterThanOrEqual(20);
  });
});

describe('huashu rules list and show', () => {
  it('lists the rules in effect as a table or JSON, filtered by category', () => {
    const table = huashu(['rules', 'list', '--category', 'blame']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+category\s+severity\s+kind\s+pack$/);
    expect(lines.slice(1).every((l) => /^blame\/\S+\s+blame\s+(error|warning|info)\s+(phrase|pattern|classifier)\s+blame$/.test(l))).toBe(true);
    const json = JSON.parse(huashu(['rules', 'list', '--format', 'json', '--config', file('list/.huashurc.yaml', 'extends: [huashu:strict]\nrules: { negative: off }\n')]).stdout) as { id: string; severity: string; kind: string }[];
    expect(json.find((r) => r.id === 'negative/refusal')?.severity).toBe('off');
    expect(new Set(json.map((r) => r.kind))).toEqual(new Set(['phrase', 'pattern', 'sequence', 'absence', 'classifier']));
    expect(huashu(['rules', 'list', '--category', 'blam']).stderr).toMatch(/no rules in category 'blam' — did you mean 'blame'\?/);
  });

  it('shows one rule with its seed passage, examples and suggestions; an unknown id is exit 2 with a hint', () => {
    const r = huashu(['rules', 'show', 'overpromise/guarantee']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^overpromise\/guarantee {2}phrase · overpromise · error · pack overpromise\n/);
    expect(r.stdout).toContain('why: 「過度承諾可能帶來短期客戶滿意');
    expect(r.stdout).toContain('— 《客戶服務的培訓課件》§ 服務承諾與可行性');
    expect(r.stdout).toContain('  ✗ 我保證明天一定送到。');
    expect(r.stdout).toContain('  → 會盡力  (《客服應對技巧:如何有效管理客戶期望?》§ 三、1. 明確溝通,避免模糊承諾)');
    const unknown = huashu(['rules', 'show', 'overpromise/garantee']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/no rule 'overpromise\/garantee' — did you mean 'overpromise\/guarantee'\?/);
  });
});
