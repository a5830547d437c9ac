import type { Finding } from '../src/engine/findings.js';
// The real command line: `node bin/huashu.js` against the built dist/ (`npm test` builds it first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const DRAFTS = join(ROOT, 'fixtures', 'drafts');
const ANSI = /\u001b\[[0-9;]*m/;
const EXAMPLE = '您的包裹一定會在明天送到,我保證。';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function huashu(args: string[], options: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  if (!options.env || !('FORCE_COLOR' in options.env)) delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type JsonFinding = Finding;
interface JsonReport {
  version: number;
  files: { path: string; findings: JsonFinding[]; error?: string }[];
  summary: { files: number; findings: number; errors: number; warnings: number; infos: number; byCategory: Record<string, number>; skipped: number };
}

function json(r: Run): JsonReport {
  return JSON.parse(r.stdout) as JsonReport;
}

/** 1-based line and code-point column of a UTF-16 offset, lines ending at \n, \r\n or \r. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!).length + 1 };
}

function expectConsistent(text: string, findings: readonly JsonFinding[]): void {
  for (const f of findings) {
    expect(text.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
    expect(position(text, f.offset)).toEqual({ line: f.line, column: f.column });
    expect(position(text, f.offset + f.length)).toEqual({ line: f.endLine, column: f.endColumn });
  }
}

let tmp: string;
const file = (name: string, content: string | Buffer): string => {
  const path = join(tmp, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('exit codes', () => {
  it('0 for a clean draft', () => {
    const r = huashu(['lint', 'fixtures/drafts/clean-reply.txt']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('✔ no problems');
  });

  it('1 for a draft with an error-level finding', () => {
    const r = huashu(['lint', 'fixtures/drafts/simplified-delivery.txt']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('overpromise/definitely-will');
    expect(r.stdout).toMatch(/✖ \d+ problems \(\d+ errors?, \d+ warnings?, \d+ info\)/);
  });

  it('2 for an unknown option, in one line without a stack trace', () => {
    const r = huashu(['lint', '--frobnicate', 'fixtures/drafts/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("huashu: unknown option '--frobnicate'\n");
    expect(r.stdout).toBe('');
  });

  it('2 for an unknown command or a bad option value', () => {
    expect(huashu(['lnit'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^huashu: unknown command 'lnit'.*lint/) });
    expect(huashu(['lint', '--format', 'xml', '-'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^huashu: .*'xml' is invalid.*stylish, json/) });
    expect(huashu(['lint', '--max-warnings', 'many', '-']).code).toBe(2);
    expect(huashu(['lint', '--min-severity', 'fatal', '-']).code).toBe(2);
  });

  it('2 for a missing file, naming it, after linting the others', () => {
    const r = huashu(['lint', 'no-such-draft.txt', 'fixtures/drafts/taiwan-refund.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('huashu: no-such-draft.txt: no such file or directory\n');
    expect(r.stdout).toContain('fixtures/drafts/taiwan-refund.txt');
    expect(r.stdout).toContain('1 file not linted');
  });

  it('2 for a bad rule pack given with --rules, with file:line:col', () => {
    const pack = file('packs/bad.yaml', 'pack: house\nrules:\n  - id: house/x\n    kind: phrase\n    categry: tone\n');
    const r = huashu(['lint', '--rules', pack, 'fixtures/drafts/clean-reply.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^huashu: ${pack.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:5: unknown key 'categry'.*did you mean 'category'`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(huashu(['lint', '--rules', join(tmp, 'packs/missing.yaml'), '-'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.yaml: rule pack not found/) });
  });

  it('2 for an unknown name in --only or --disable, with a hint', () => {
    const r = huashu(['lint', '--only', 'overpromis', '-'], { input: EXAMPLE });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("huashu: --only: no rule, category or pack named 'overpromis' — did you mean 'overpromise'?\n");
    expect(huashu(['lint', '--disable', 'blame/nope', '-']).code).toBe(2);
  });

  it('--errors-only keeps error-level findings only, as ESLint\'s --quiet; -q keeps warnings (issue 19)', () => {
    const draft = '您的問題我們會處理，我保證。不好意思，我是新來的，不太清楚。\n'; // info, error, warning
    const severities = (args: string[]) => json(huashu(['lint', '--format', 'json', ...args, '-'], { input: draft })).files[0]!.findings.map((f) => f.severity);
    const kinds = (args: string[]) => [...new Set(severities(args))].sort();
    expect(kinds([])).toEqual(['error', 'info', 'warning']);
    expect(kinds(['-q'])).toEqual(['error', 'warning']);
    expect(kinds(['--errors-only'])).toEqual(['error']);
    expect(huashu(['lint', '--help']).stdout).toContain('--errors-only');
  });

  it('the README says that its setup command exits 1, as it does (issue 19)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const at = readme.indexOf('npx huashu lint fixtures/drafts/');
    expect(at).toBeGreaterThan(0);
    expect(readme.slice(at, at + 400)).toMatch(/exits with code 1\*\*, and that is expected/);
    expect(huashu(['lint', 'fixtures/drafts/']).code).toBe(1);
  });

  it('--max-warnings turns too many warnings into exit 1', () => {
    const warningOnly = '这件事我不知道。';
    const { summary } = json(huashu(['lint', '-f', 'json', '-'], { input: warningOnly }));
    expect(summary).toMatchObject({ errors: 0, warnings: expect.any(Number) });
    expect(summary.warnings).toBeGreaterThan(0);
    expect(huashu(['lint', '-'], { input: warningOnly }).code).toBe(0);
    const r = huashu(['lint', '--max-warnings', String(summary.warnings - 1), '-'], { input: warningOnly });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`huashu: too many warnings (${summary.warnings}); --max-warnings allows ${summary.warnings - 1}\n`);
    expect(huashu(['lint', '--max-warnings', String(summary.warnings), '-'], { input: warningOnly }).code).toBe(0);
  });

  it('--help and --version exit 0', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(huashu(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(huashu(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('lint') });
    expect(huashu(['lint', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--min-severity') });
  });
});

describe('standard input', () => {
  it('reads - and renders suggestions in the draft’s traditional script', () => {
    const r = huashu(['lint', '--format', 'json', '-'], { input: `${EXAMPLE}\n` });
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.files.map((f) => f.path)).toEqual(['<stdin>']);
    const findings = report.files[0]!.findings;
    expect(findings.map((f) => f.excerpt)).toContain('一定');
    expect(findings.some((f) => f.excerpt.includes('保證'))).toBe(true);
    expectConsistent(`${EXAMPLE}\n`, findings);
    const suggestions = findings.flatMap((f) => f.suggestions.map((s) => s.text));
    expect(suggestions.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.script).toBe('traditional-tw');
    // no simplified-only characters in what we tell a traditional-script writer
    for (const s of suggestions) expect(s).not.toMatch(/[们会尽预计处内时确认应问题说这过让发还]/);
  });

  it('reads a pipe when no path is given', () => {
    const piped = huashu(['lint', '--format', 'json'], { input: EXAMPLE });
    const dash = huashu(['lint', '--format', 'json', '-'], { input: EXAMPLE });
    expect(piped.code).toBe(1);
    expect(json(piped)).toEqual(json(dash));
  });

  it('is linted next to files, once even if named twice', () => {
    const r = huashu(['lint', '-f', 'json', 'fixtures/drafts/clean-reply.txt', '-', '-'], { input: EXAMPLE });
    expect(json(r).files.map((f) => f.path)).toEqual(['fixtures/drafts/clean-reply.txt', '<stdin>']);
  });

  it('with an empty pipe has nothing to report', () => {
    expect(huashu(['lint'], { input: '' })).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('json format', () => {
  it('reports every fixture with offsets, lines and columns that agree with the file', () => {
    const r = huashu(['lint', '--format', 'json', 'fixtures/drafts/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = json(r);
    expect(report.version).toBe(1);
    const fixtures = readdirSync(DRAFTS).filter((n) => /\.(txt|md)$/.test(n)).sort();
    expect(report.files.map((f) => f.path)).toEqual(fixtures.map((n) => `fixtures/drafts/${n}`));
    let total = 0;
    for (const f of report.files) {
      expect(f.error).toBeUndefined();
      expectConsistent(readFileSync(join(ROOT, f.path), 'utf8'), f.findings);
      total += f.findings.length;
    }
    expect(report.summary.findings).toBe(total);
    expect(report.summary.files).toBe(fixtures.length);
    expect(report.summary.errors + report.summary.warnings + report.summary.infos).toBe(total);
    expect(Object.keys(report.summary.byCategory).sort()).toEqual(['blame', 'negative', 'overpromise']);
    // the clean draft is clean; every other draft has something to say
    for (const f of report.files) expect(f.findings.length === 0).toBe(f.path.endsWith('clean-reply.txt'));
  });

  it('filters with --only, --disable, --min-severity and --quiet', () => {
    const all = json(huashu(['lint', '-f', 'json', 'fixtures/drafts/']));
    const findings = (r: Run) => json(r).files.flatMap((f) => f.findings);
    const only = findings(huashu(['lint', '-f', 'json', '--only', 'blame', 'fixtures/drafts/']));
    expect(only.length).toBe(all.summary.byCategory['blame']);
    expect(new Set(only.map((f) => f.category))).toEqual(new Set(['blame']));
    const some = findings(huashu(['lint', '-f', 'json', '--only', 'blame/customer-fault', '--only', 'negative/refusal,overpromise/*', 'fixtures/drafts/']));
    expect(new Set(some.map((f) => f.ruleId.split('/')[0]))).toEqual(new Set(['blame', 'negative', 'overpromise']));
    expect(some.every((f) => f.category === 'overpromise' || ['blame/customer-fault', 'negative/refusal'].includes(f.ruleId))).toBe(true);
    const disabled = findings(huashu(['lint', '-f', 'json', '--disable', 'overpromise,negative/refusal', 'fixtures/drafts/']));
    expect(disabled.some((f) => f.category === 'overpromise' || f.ruleId === 'negative/refusal')).toBe(false);
    expect(disabled.length).toBeGreaterThan(0);
    const errors = findings(huashu(['lint', '-f', 'json', '--min-severity', 'error', 'fixtures/drafts/']));
    expect(errors.length).toBe(all.summary.errors);
    const quiet = findings(huashu(['lint', '-f', 'json', '--quiet', 'fixtures/drafts/']));
    expect(all.summary.infos).toBeGreaterThan(0);
    expect(quiet.length).toBe(all.summary.errors + all.summary.warnings);
  });

  it('adds the findings of an extra rule pack', () => {
    const pack = file(
      'packs/house.yaml',
      ['pack: house', 'rules:', '  - id: house/qin', '    kind: phrase', '    category: tone', '    severity: warning', '    message: 避免口語「親」', '    match:', '      phrases: [亲]', '    boundary: none', ''].join('\n'),
    );
    const r = huashu(['lint', '-f', 'json', '--rules', pack, '-'], { input: '亲，这件事我不知道。' });
    const findings = json(r).files[0]!.findings;
    expect(findings[0]).toMatchObject({ ruleId: 'house/qin', category: 'tone', severity: 'warning', excerpt: '亲', column: 1 });
    expect(json(r).summary.byCategory['tone']).toBe(1);
    expect(findings.some((f) => f.category === 'negative')).toBe(true);
  });

  it("keeps a team phrase out of a rarer compound jieba's full dictionary keeps whole (价格 in 价格战)", () => {
    // 价格战 is not among jieba's 30,000 most frequent words, nor does it cross a built-in phrase: the
    // trimmed dictionary leaves it out, and a team pack's phrase gets it back (src/segment/index.ts).
    const pack = file(
      'packs/price.yaml',
      ['pack: house', 'rules:', '  - id: house/price', '    kind: phrase', '    category: tone', '    severity: warning', '    message: 說「售價」', '    match:', '      phrases: [价格]', ''].join('\n'),
    );
    const excerpts = (text: string) => json(huashu(['lint', '-f', 'json', '--rules', pack, '--only', 'house', '-'], { input: text })).files[0]!.findings.map((f) => f.excerpt);
    expect(excerpts('商家之间又打起了价格战。')).toEqual([]);
    expect(excerpts('商家之間又打起了價格戰。')).toEqual([]);
    expect(excerpts('这个价格是活动价。')).toEqual(['价格']);
  });
});

describe('stylish format', () => {
  /** Pairs of (draft line, caret line) in stylish output, in order. */
  function underlines(out: string): { line: string; carets: string }[] {
    const lines = out.split('\n');
    const pairs = [];
    for (let i = 1; i < lines.length; i++) {
      if (/^ {4} *\^+$/.test(lines[i]!)) pairs.push({ line: lines[i - 1]!.slice(4), carets: lines[i]!.slice(4) });
    }
    return pairs;
  }

  /** The characters of `line` that sit above the carets, counting terminal cells. */
  function above(line: string, carets: string): string {
    const pad = carets.length - carets.trimStart().length;
    const width = carets.trim().length;
    let at = 0;
    let out = '';
    for (const ch of line) {
      const w = stringWidth(ch);
      if (at >= pad && at + w <= pad + width) out += ch;
      at += w;
    }
    return out;
  }

  it('with NO_COLOR has no escapes, and underlines each span under CJK text', () => {
    const r = huashu(['lint', 'fixtures/drafts/']);
    expect(r.stdout).not.toMatch(ANSI);
    const excerpts = json(huashu(['lint', '-f', 'json', 'fixtures/drafts/'])).files.flatMap((f) => f.findings.map((x) => x.excerpt));
    const pairs = underlines(r.stdout);
    expect(pairs).toHaveLength(excerpts.length);
    pairs.forEach((p, i) => expect(above(p.line, p.carets)).toBe(excerpts[i]));
  });

  it('aligns the carets of the README example', () => {
    const r = huashu(['lint', '-'], { input: EXAMPLE });
    const findings = json(huashu(['lint', '-f', 'json', '-'], { input: EXAMPLE })).files[0]!.findings;
    expect(findings.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout.startsWith('<stdin>\n')).toBe(true);
    for (const f of findings) {
      // two cells per CJK character before the span, one for the ASCII comma
      const carets = ' '.repeat(stringWidth(EXAMPLE.slice(0, f.offset))) + '^'.repeat(stringWidth(f.excerpt));
      expect(r.stdout).toContain(`  ${f.line}:${f.column}`);
      expect(r.stdout).toContain(`    ${EXAMPLE}\n    ${carets}\n`);
      for (const s of f.suggestions) expect(r.stdout).toContain(`    → ${s.text}${s.source ? `  (《${s.source.title}》§ ${s.source.section})` : ''}\n`);
    }
    expect(r.stdout).toContain(`    ${EXAMPLE}\n            ^^^^\n`); // 一定 after 您的包裹: 8 cells
  });

  it('colours with FORCE_COLOR, and not with --no-color', () => {
    expect(huashu(['lint', '-'], { input: EXAMPLE, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toMatch(ANSI);
    expect(huashu(['--no-color', 'lint', '-'], { input: EXAMPLE, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).not.toMatch(ANSI);
    expect(huashu(['lint', '--no-color', '-'], { input: EXAMPLE, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).not.toMatch(ANSI);
  });

  it('--quiet prints nothing for a clean draft', () => {
    expect(huashu(['lint', '--quiet', 'fixtures/drafts/clean-reply.txt'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('awkward input', () => {
  it('reports a binary file and invalid UTF-8 by name and byte, and still lints the rest', () => {
    const bin = file('awkward/image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    const prefix = Buffer.from('您好，\n您的问题');
    const bad = file('awkward/gbk.txt', Buffer.concat([prefix, Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('我保证')]));
    const good = file('awkward/good.txt', EXAMPLE);
    const r = huashu(['lint', '-f', 'json', bin, bad, good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`huashu: warning: ${bin}: binary file (NUL byte at byte 4), skipped\n`);
    expect(r.stderr).toContain(`huashu: ${bad}: invalid UTF-8 at byte ${prefix.length} (line 2)\n`);
    const report = json(r);
    expect(report.files.map((f) => [f.path, f.error !== undefined, f.findings.length > 0])).toEqual([
      [bin, true, false],
      [bad, true, false],
      [good, false, true],
    ]);
    expect(report.summary.skipped).toBe(2);
  });

  it('skips a binary file without failing the run when others were linted', () => {
    const bin = file('awkward2/data.txt', Buffer.from([0x00, 0x01, 0x02]));
    const clean = file('awkward2/clean.txt', '张女士您好，包裹预计后天送达。');
    const r = huashu(['lint', bin, clean]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(bin);
    expect(r.stdout).toContain('1 file not linted');
    // … but nothing linted at all is an error
    expect(huashu(['lint', bin]).code).toBe(2);
  });

  it('never says "no problems" when an input could not be linted (issue 19)', () => {
    const gbk = file('awkward4/gbk.txt', '');
    writeFileSync(gbk, Buffer.from([0xc4, 0xfa, 0xba, 0xc3])); // 您好 in GBK
    mkdirSync(join(tmp, 'awkward4/none'), { recursive: true });
    const clean = file('awkward4/clean.txt', '您好，已為您查詢。\n');
    for (const input of ['no-such-draft.txt', gbk, join(tmp, 'awkward4/none')]) {
      const r = huashu(['lint', input]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('✖ 1 file could not be linted (0 files linted)\n');
    }
    const some = huashu(['lint', gbk, clean]);
    expect(some.code).toBe(2);
    expect(some.stdout).toBe('✖ 1 file could not be linted; no problems in the 1 file linted\n');
  });

  it('lints an empty file and an empty directory differently', () => {
    expect(huashu(['lint', file('awkward3/empty.txt', '')])).toMatchObject({ code: 0, stderr: '' });
    mkdirSync(join(tmp, 'awkward3/none'), { recursive: true });
    expect(huashu(['lint', join(tmp, 'awkward3/none')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no files to lint in this directory') });
  });

  it('strips a UTF-8 BOM and counts offsets in the text without it', () => {
    const text = '您好。\r\n您的包裹一定會在明天送到,我保證。\r\n';
    const path = file('awkward/bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const findings = json(huashu(['lint', '-f', 'json', path])).files[0]!.findings;
    // offsets count from the first character after the BOM: 您好。\r\n is 5 code units
    expect(findings.map((f) => [f.excerpt, f.line, f.column, f.offset])).toContainEqual(['一定', 2, 5, 9]);
    expect(findings.some((f) => f.excerpt.includes('保證'))).toBe(true);
    expectConsistent(text, findings);
  });

  it('reads UTF-16 LE and BE files with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXAMPLE, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const r = huashu(['lint', '-f', 'json', file('utf16/le.txt', le), file('utf16/be.txt', be), file('utf16/plain.txt', EXAMPLE)]);
    const [a, b, c] = json(r).files.map((f) => f.findings);
    expect(a!.length).toBe(2);
    expect(a).toEqual(c);
    expect(b).toEqual(c);
  });

  it('recurses into directories for the kinds of file it reads, sorted, skipping node_modules, hidden and unknown files', () => {
    const root = join(tmp, 'tree');
    for (const name of ['b.txt', 'a.md', 'README', 'sub/c.txt', 'sub/d.yaml', 'node_modules/x/y.txt', '.git/z.md', '.hidden/w.txt', 'logo.png']) {
      file(join('tree', name), '我保证');
    }
    file('tree/notes.json', '{"reply": "我保证"}');
    const r = huashu(['lint', '-f', 'json', '--verbose', '.'], { cwd: root });
    expect(json(r).files.map((f) => f.path)).toEqual(['a.md', 'b.txt', 'notes.json', 'sub/c.txt', 'sub/d.yaml']);
    expect(json(r).files.every((f) => f.findings.length === 1)).toBe(true);
    // --verbose names what was passed over; hidden folders and node_modules go without a word
    expect(r.stderr).toContain('huashu: skipped README: not a kind of file huashu reads');
    expect(r.stderr).toContain('huashu: skipped logo.png: not a kind of file huashu reads');
    expect(r.stderr).not.toContain('.hidden');
  });

  it('expands a quoted glob', () => {
    const r = huashu(['lint', '-f', 'json', 'fixtures/drafts/*.md']);
    expect(json(r).files.map((f) => f.path)).toEqual(['fixtures/drafts/email-reply.md']);
  });
});
