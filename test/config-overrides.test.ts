// Configs and directives across formats, through the real command line (dist bundle): per-glob
// `overrides` (and `fields` for JSON/YAML strings), `$schema`, `.yml` config names, the JSON Schemas
// shipped in schemas/, inline directives read from Markdown/HTML/YAML comments, and the default ignores
// of a directory walk.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/findings.js';
import { huashuSync } from './helpers/child.js';
import { fileWriter } from './helpers/files.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function huashu(args: string[], cwd: string) {
  return huashuSync(args, { cwd, timeout: 60_000 });
}

type FileFindings = { path: string; findings: Finding[] }[];
const report = (args: string[], cwd: string): FileFindings => {
  const r = huashu(['lint', ...args, '--format', 'json'], cwd);
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  return (JSON.parse(r.stdout) as { files: FileFindings }).files;
};
/** `line:ruleId` of each finding of one file. */
const at = (files: FileFindings, name: string) =>
  files
    .filter((f) => f.path.endsWith(name))
    .flatMap((f) => f.findings)
    .map((f) => `${f.line}:${f.ruleId}${f.severity === 'info' ? ':info' : ''}`);

let tmp: string;
const file = fileWriter(() => tmp);

const PROMISE = '您的包裹一定會在明天送到，我保證。';
const REFUSAL = '這個不能退，是您自己沒看清楚。';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'huashu-overrides-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inline directives in every format', () => {
  it('Markdown: HTML comments (block and next-line) apply, a directive inside a code block does not', () => {
    const dir = join(tmp, 'md');
    const name = 'md/reply.md';
    file(name, [`# 說明`, ``, PROMISE, ``, `<!-- huashu-disable-next-line overpromise -->`, PROMISE, ``, `<!-- huashu-disable -->`, REFUSAL, `<!-- huashu-enable -->`, ``, '```', '<!-- huashu-disable -->', '```', REFUSAL, ''].join('\n'));
    const ids = at(report(['reply.md'], dir), 'reply.md');
    expect(ids.filter((i) => i.startsWith('3:')).length).toBeGreaterThan(0);
    expect(ids.some((i) => i.startsWith('6:') || i.startsWith('9:'))).toBe(false);
    expect(ids).toContain('15:blame/customer-fault');
  });

  it('Markdown front matter: a # comment directive covers the next line', () => {
    file('fm/page.md', ['---', 'title: 說明', '# huashu-disable-next-line', `summary: ${REFUSAL}`, `other: ${REFUSAL}`, '---', '', '正文。', ''].join('\n'));
    const ids = at(report(['page.md'], join(tmp, 'fm')), 'page.md');
    expect(ids.some((i) => i.startsWith('4:'))).toBe(false);
    expect(ids).toContain('5:blame/customer-fault');
  });

  it('HTML: comments open and close a disabled stretch; unused ones are reported on request', () => {
    file('html/reply.html', [`<p>${PROMISE}</p>`, '<!-- huashu-disable overpromise -->', `<p>${PROMISE}</p>`, '<!-- huashu-enable -->', `<p>${PROMISE}</p>`, '<!-- huashu-disable-next-line blame -->', '<p>您好。</p>', ''].join('\n'));
    const ids = at(report(['reply.html', '--report-unused-directives'], join(tmp, 'html')), 'reply.html');
    expect(ids.some((i) => i.startsWith('1:overpromise'))).toBe(true);
    expect(ids.some((i) => i.startsWith('3:'))).toBe(false);
    expect(ids.some((i) => i.startsWith('5:overpromise'))).toBe(true);
    expect(ids).toContain('6:huashu/unused-directive');
  });

  it("YAML: # comments (own line or end of line) apply; a '#' inside a quoted string is not a comment", () => {
    file('yaml/replies.yaml', [`a: ${REFUSAL}`, '# huashu-disable-next-line', `b: ${REFUSAL}`, `c: 這個不能退。 # huashu-disable-line negative`, `d: "不能退 #沒有指令"`, ''].join('\n'));
    const ids = at(report(['replies.yaml'], join(tmp, 'yaml')), 'replies.yaml');
    expect(ids).toContain('1:blame/customer-fault');
    expect(ids.some((i) => i.startsWith('3:') || i.startsWith('4:'))).toBe(false);
    expect(ids.some((i) => i.startsWith('5:negative'))).toBe(true);
  });

  it('JSON: a config override with fields turns rules off for some strings only', () => {
    file('json/macros.json', JSON.stringify({ macros: [{ title: '我保證明天送到', actions: [{ field: 'comment_value', value: PROMISE }] }] }, null, 2) + '\n');
    file('json/huashu.config.yaml', ['overrides:', '  - files: ["macros.json"]', '    fields: ["macros[*].title"]', '    rules: { overpromise: off }', ''].join('\n'));
    const findings = report(['macros.json'], join(tmp, 'json')).flatMap((f) => f.findings);
    const text = readFileSync(join(tmp, 'json/macros.json'), 'utf8');
    const lines = text.split('\n');
    const titleLine = lines.findIndex((l) => l.includes('"title"')) + 1;
    const valueLine = lines.findIndex((l) => l.includes('"value"')) + 1;
    expect(findings.some((f) => f.line === titleLine)).toBe(false);
    expect(findings.some((f) => f.line === valueLine && f.ruleId === 'overpromise/guarantee')).toBe(true);
    // Without the override the title is flagged: the override did it.
    rmSync(join(tmp, 'json/huashu.config.yaml'));
    expect(report(['macros.json'], join(tmp, 'json')).flatMap((f) => f.findings).some((f) => f.line === titleLine)).toBe(true);
  });
});

describe('config files', () => {
  it('per-glob overrides change severities and turn rules off for the files they match only', () => {
    const dir = join(tmp, 'globs');
    file('globs/huashu.config.yml', ['$schema: ../node_modules/huashu/schemas/config.schema.json', 'rules:', '  negative: off', 'overrides:', '  - files: ["legal/**"]', '    rules: { overpromise/guarantee: info, negative: warning }', '  - files: ["*.txt"]', '    rules: { blame: off }', ''].join('\n'));
    file('globs/a.md', `${PROMISE}\n\n${REFUSAL}\n`);
    file('globs/legal/b.md', `${PROMISE}\n\n${REFUSAL}\n`);
    file('globs/c.txt', `${REFUSAL}\n`);
    const files = report(['.'], dir);
    const a = at(files, 'a.md');
    const b = at(files, 'b.md');
    expect(a).toContain('1:overpromise/guarantee');
    expect(a.some((i) => i.includes('negative'))).toBe(false);
    expect(b).toContain('1:overpromise/guarantee:info');
    expect(b.some((i) => i.includes('negative/'))).toBe(true);
    expect(at(files, 'c.txt')).toEqual([]);
  });

  it('an override naming no rule, or with an unknown key, is refused with file:line:column', () => {
    const dir = join(tmp, 'bad');
    file('bad/huashu.config.yaml', ['overrides:', '  - files: ["*.md"]', '    rulez: { negative: off }', ''].join('\n'));
    file('bad/a.md', `${PROMISE}\n`);
    let r = huashu(['lint', 'a.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huashu\.config\.yaml:3:5: unknown key 'rulez' in overrides\[0\].*did you mean 'rules'/);
    file('bad/huashu.config.yaml', ['overrides:', '  - files: ["*.md"]', '    rules: { negativ: off }', ''].join('\n'));
    r = huashu(['lint', 'a.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huashu\.config\.yaml:3:14: rules: no rule, category or pack named 'negativ'/);
  });

  it('.huashurc.json with $schema is accepted', () => {
    file('rc/.huashurc.json', JSON.stringify({ $schema: './schemas/config.schema.json', rules: { overpromise: 'off' } }));
    file('rc/a.txt', `${PROMISE}\n`);
    const r = huashu(['lint', 'a.txt'], join(tmp, 'rc'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the shipped schemas accept the starter config, the test configs above and every built-in pack, and reject a typo', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const config = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8')));
    const pack = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/pack.schema.json'), 'utf8')));
    expect(config(parseYaml(readFileSync(join(tmp, 'globs/huashu.config.yml'), 'utf8'))), JSON.stringify(config.errors)).toBe(true);
    expect(config(parseYaml(readFileSync(join(tmp, 'json/macros.json'), 'utf8')))).toBe(false); // not a config at all
    expect(config({ rules: { negative: 'of' } })).toBe(false);
    expect(config({ overrides: [{ files: ['a'], rulez: {} }] })).toBe(false);
    mkdirSync(join(tmp, 'init'));
    expect(huashu(['init'], join(tmp, 'init')).code).toBe(0);
    expect(config(parseYaml(readFileSync(join(tmp, 'init', 'huashu.config.yaml'), 'utf8'))), JSON.stringify(config.errors)).toBe(true);
    const packs = [...readdirSync(join(ROOT, 'rules')).map((f) => join(ROOT, 'rules', f)), ...readdirSync(join(ROOT, 'rules/extra')).map((f) => join(ROOT, 'rules/extra', f))].filter((f) => /\.ya?ml$/.test(f));
    expect(packs.length).toBeGreaterThan(2);
    for (const p of packs) expect(pack(parseYaml(readFileSync(p, 'utf8'))), `${p}: ${JSON.stringify(pack.errors)}`).toBe(true);
    expect(pack({ pack: 'x', rules: [{ id: 'x/y', message: 'm', severty: 'error' }] })).toBe(false);
  });
});

describe('default ignores', () => {
  it('a directory walk leaves out manifests, lockfiles, tsconfig and CI files; naming one still lints it', () => {
    const dir = join(tmp, 'repo');
    const bad = JSON.stringify({ description: PROMISE });
    for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'docker-compose.yml', 'docker-compose.prod.yaml', 'pnpm-lock.yaml', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'macros/refund.json']) {
      file(`repo/${name}`, name.endsWith('json') ? bad : `description: ${PROMISE}\n`);
    }
    const linted = report(['.', '--verbose'], dir).map((f) => f.path.replace(/^\.\//, ''));
    expect(linted).toEqual([join('macros', 'refund.json')]);
    const named = report(['package.json'], dir);
    expect(named[0]!.findings.length).toBeGreaterThan(0);
  });
});
