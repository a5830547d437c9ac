// End to end, as CI runs it: the built CLI over fixtures/macro-repo (Markdown, HTML, a Zendesk JSON export,
// i18n YAML, plain text; traditional and simplified; placeholders) in every output format, plus the
// repository behaviour: ignore files, --cache, --changed-since, --output-file.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync, type Run } from './helpers/child.js';
import type { Finding } from '../src/engine/findings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = 'fixtures/macro-repo';

const huashu = (args: string[], options: { cwd?: string; input?: string } = {}): Run => huashuSync(args, { cwd: options.cwd ?? ROOT, input: options.input, timeout: 60_000 });

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface JsonReport {
  files: { path: string; findings: Finding[]; error?: string }[];
  summary: { files: number; findings: number; errors: number; warnings: number; skipped: number };
}

/** 1-based line and code-point column of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!).length + 1 };
}

const LINTED = [
  'README.md',
  'i18n/zh-CN.yaml',
  'i18n/zh-TW.yaml',
  'macros/canned/warranty-hk.html',
  'macros/canned/welcome.html',
  'macros/escalation-tw.txt',
  'macros/refund-delay.md',
  'macros/shipping-cn.md',
  'macros/zendesk/macros-export.json',
  'snippets/closing.txt',
  'snippets/templates.json',
].map((p) => `${REPO}/${p}`);

let report: JsonReport;
let tmp: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-macro-repo-'));
  const r = huashu(['lint', '--format', 'json', REPO]);
  expect(r.code).toBe(1);
  report = JSON.parse(r.stdout) as JsonReport;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the macro repository', () => {
  it('lints the files it reads and leaves out ignored, binary and unknown ones', () => {
    expect(report.files.map((f) => f.path)).toEqual(LINTED);
    expect(report.files.every((f) => f.error === undefined)).toBe(true);
    const verbose = huashu(['lint', '--format', 'json', '--verbose', REPO]).stderr;
    expect(verbose).toContain(`huashu: skipped ${REPO}/archive: ignored by ${REPO}/.huashuignore`);
    expect(verbose).toContain(`huashu: skipped ${REPO}/snippets/export.generated.json: ignored by ${REPO}/.huashuignore`);
    expect(verbose).toContain(`huashu: skipped ${REPO}/assets/logo.png: not a kind of file huashu reads`);
    expect(verbose).toContain(`huashu: skipped ${REPO}/snippets/macros.csv: not a kind of file huashu reads`);
  });

  it('clean macros have no finding; code blocks, keys and placeholders never produce one', () => {
    const clean = ['README.md', 'i18n/zh-TW.yaml', 'macros/canned/welcome.html', 'macros/shipping-cn.md', 'snippets/closing.txt'];
    for (const path of clean) expect(report.files.find((f) => f.path === `${REPO}/${path}`)!.findings).toEqual([]);
  });

  it('every finding points at the exact characters of the file', () => {
    for (const file of report.files) {
      const text = readFileSync(join(ROOT, file.path), 'utf8');
      for (const f of file.findings) {
        expect(text.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
        expect(position(text, f.offset)).toEqual({ line: f.line, column: f.column });
        expect(position(text, f.offset + f.length)).toEqual({ line: f.endLine, column: f.endColumn });
      }
    }
  });

  it('finds what the macros say wrongly: inside JSON escapes, YAML block scalars, HTML entities, after placeholders', () => {
    const at = (path: string) => report.files.find((f) => f.path === `${REPO}/${path}`)!.findings.map((f) => [f.line, f.column, f.ruleId, f.excerpt]);
    // \uXXXX-escaped Zendesk comment, after an escaped emoji and \" quotes: the escapes themselves are the span
    expect(at('macros/zendesk/macros-export.json')).toContainEqual([41, 156, 'overpromise/guarantee', '\\u4fdd\\u8b49']);
    // a comment_value with \n escapes, after a {{placeholder}}
    expect(at('macros/zendesk/macros-export.json')).toContainEqual([10, 98, 'overpromise/definitely-will', '一定']);
    // comment_value_html: HTML inside a JSON string
    expect(at('macros/zendesk/macros-export.json')).toContainEqual([20, 120, 'blame/customer-fault', '您沒看清']);
    // a YAML folded block scalar, and a double-quoted string after \" escapes
    expect(at('i18n/zh-CN.yaml')).toContainEqual([7, 9, 'overpromise/guarantee', '保证']);
    expect(at('i18n/zh-CN.yaml')).toContainEqual([14, 32, 'blame/customer-fault', '您自己没看清']);
    // HTML after an entity (&#36;) and inside <b>
    expect(at('macros/canned/warranty-hk.html')).toContainEqual([12, 29, 'overpromise/definitely-will', '一定']);
    // Markdown front matter value, and a paragraph of a macro with {{#if}} blocks
    expect(at('macros/refund-delay.md')).toContainEqual([5, 12, 'overpromise/guarantee', '保證']);
    expect(at('macros/refund-delay.md')).toContainEqual([12, 5, 'overpromise/definitely-will', '一定']);
    // ${order_id} before the finding, simplified, in an array of { id, title, body }
    expect(at('snippets/templates.json')).toContainEqual([10, 43, 'blame/shift-to-others', '都怪']);
    // CRLF line endings
    expect(at('macros/escalation-tw.txt')).toContainEqual([2, 5, 'negative/complaint-noun', '投訴']);
  });
});

describe('output formats', () => {
  const findings = () => report.files.flatMap((file) => file.findings.map((f) => ({ path: file.path, ...f })));

  it('sarif: valid against the SARIF 2.1.0 schema, with rule help, seed citations and exact regions', async () => {
    const r = huashu(['lint', '--format', 'sarif', REPO]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; help: { text: string }; properties: { seed?: { doc: string } } }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, unknown> } }[] }[];
        columnKind: string;
      }[];
    };
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    // The official schema has a pattern that is only valid without the u flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // … and the schema is not a rubber stamp
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);

    const run = log.runs[0]!;
    expect(run.columnKind).toBe('unicodeCodePoints');
    const rules = run.tool.driver.rules;
    expect(rules.find((x) => x.id === 'overpromise/guarantee')!.help.text).toMatch(/《客戶服務的培訓課件》§ 服務承諾與可行性/);
    expect(rules.every((x) => x.properties.seed === undefined || /\.txt$/.test(x.properties.seed.doc))).toBe(true);
    const expected = findings();
    expect(run.results).toHaveLength(expected.length);
    run.results.forEach((res, i) => {
      const f = expected[i]!;
      expect(res.ruleId).toBe(f.ruleId);
      expect(rules[res.ruleIndex]!.id).toBe(f.ruleId);
      expect(res.level).toBe(f.severity === 'info' ? 'note' : f.severity);
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe(f.path);
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, snippet: { text: f.excerpt } });
    });
  });

  it('github: one workflow command per finding with the right file, line and column', () => {
    const r = huashu(['lint', '--format', 'github', REPO]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    // Errors first, then warnings, then notices; in file order within each.
    const rank = { error: 0, warning: 1, info: 2 };
    const expected = [...findings()].sort((a, b) => rank[a.severity] - rank[b.severity]);
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => {
      const f = expected[i]!;
      const m = /^::(error|warning|notice) file=([^,]+),line=(\d+),endLine=(\d+),col=(\d+),endColumn=(\d+),title=([^:]+)::(.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m!.slice(1, 7)).toEqual([f.severity === 'info' ? 'notice' : f.severity, f.path, String(f.line), String(f.endLine), String(f.column), String(f.endColumn)]);
      expect(m![7]).toBe(`huashu ${f.ruleId.replace(/:/g, '%3A')}`);
      // one line per annotation: line breaks in the message are escaped
      expect(m![8]).toContain(f.message.replace(/%/g, '%25'));
      expect(m![8]).not.toMatch(/[\r\n]/);
    });
  });

  it('junit and checkstyle: well-formed XML that carries every finding', () => {
    const expected = findings();
    const junit = huashu(['lint', '--format', 'junit', REPO]);
    expect(junit.code).toBe(1);
    expect(junit.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="huashu"')).toBe(true);
    const jdoc = parseDocument(junit.stdout, { xmlMode: true, decodeEntities: true });
    const all = (node: { children?: unknown[] }, name: string): { name: string; attribs: Record<string, string> }[] => {
      const out: { name: string; attribs: Record<string, string> }[] = [];
      const visit = (n: { name?: string; attribs?: Record<string, string>; children?: unknown[] }) => {
        if (n.name === name) out.push(n as { name: string; attribs: Record<string, string> });
        for (const c of n.children ?? []) visit(c as typeof n);
      };
      visit(node);
      return out;
    };
    expect(all(jdoc, 'testsuite').map((s) => s.attribs['name'])).toEqual(LINTED);
    const failures = all(jdoc, 'failure');
    expect(failures.map((f) => f.attribs['message'])).toEqual(expected.map((f) => f.message));
    expect(all(jdoc, 'testsuites')[0]!.attribs).toMatchObject({ failures: String(expected.length), errors: '0' });

    const cs = huashu(['lint', '--format', 'checkstyle', REPO]);
    expect(cs.code).toBe(1);
    const cdoc = parseDocument(cs.stdout, { xmlMode: true, decodeEntities: true });
    expect(all(cdoc, 'file').map((f) => f.attribs['name'])).toEqual(LINTED);
    expect(all(cdoc, 'error').map((e) => [e.attribs['line'], e.attribs['column'], e.attribs['severity'], e.attribs['source']])).toEqual(
      expected.map((f) => [String(f.line), String(f.column), f.severity, `huashu.${f.ruleId}`]),
    );
    // the \uXXXX excerpt survives XML escaping and unescaping
    expect(all(cdoc, 'error').some((e) => e.attribs['message']!.includes('「\\u4fdd\\u8b49」'))).toBe(true);
  });

  it('stylish and json agree on the count; --max-warnings and --min-severity still decide the exit code', () => {
    const stylish = huashu(['lint', REPO]);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain(`✖ ${report.summary.findings} problems (${report.summary.errors} errors, ${report.summary.warnings} warnings`);
    expect(huashu(['lint', '--only', 'negative/refusal', REPO]).code).toBe(0);
    expect(huashu(['lint', '--only', 'negative/refusal', '--max-warnings', '0', REPO]).code).toBe(1);
  });

  it('--output-file writes the report atomically instead of printing it, keeping the file’s mode', () => {
    const out = join(tmp, 'reports', 'huashu.sarif');
    const r = huashu(['lint', '-f', 'sarif', '--output-file', out, REPO]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: '2.1.0' });
    chmodSync(out, 0o640);
    huashu(['lint', '-f', 'junit', '-o', out, `${REPO}/macros/shipping-cn.md`]);
    expect(readFileSync(out, 'utf8')).toContain('<testsuites');
    expect(statSync(out).mode & 0o777).toBe(0o640);
    const bad = huashu(['lint', '-o', join(ROOT, 'package.json', 'x.txt'), `${REPO}/macros/shipping-cn.md`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^huashu: --output-file: cannot write .*x\.txt: (EEXIST|ENOTDIR)\n$/);
  });

  it('a template file that does not parse is an input error naming file, line and column', () => {
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{\n  "macros": [\n    { "title": "x" \n  ]\n}\n');
    const r = huashu(['lint', '-f', 'github', broken, `${REPO}/macros/shipping-cn.md`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`huashu: ${broken}: invalid JSON (CommaExpected) at line 4, column 3\n`);
  });
});

describe('repository behaviour', () => {
  /** A copy of the fixture repository in its own temporary directory. */
  function copyRepo(name: string): string {
    const dir = join(tmp, name);
    cpSync(join(ROOT, REPO), dir, { recursive: true });
    return dir;
  }

  it('a file named on the command line but ignored is left out with a warning', () => {
    const r = huashu(['lint', `${REPO}/archive/2019-refund.md`, `${REPO}/macros/shipping-cn.md`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`huashu: warning: ${REPO}/archive/2019-refund.md: ignored by ${REPO}/.huashuignore, not linted (--no-ignore lints it)\n`);
    expect(huashu(['lint', '--no-ignore', `${REPO}/archive/2019-refund.md`]).code).toBe(1);
  });

  it('--no-ignore lints what .huashuignore leaves out', () => {
    const r = huashu(['lint', '-f', 'json', '--no-ignore', REPO]);
    const paths = (JSON.parse(r.stdout) as JsonReport).files.map((f) => f.path);
    expect(paths).toContain(`${REPO}/archive/2019-refund.md`);
    expect(paths).toContain(`${REPO}/snippets/export.generated.json`);
  });

  it('honours .gitignore inside a git work tree only', () => {
    const dir = copyRepo('gitignored');
    writeFileSync(join(dir, '.gitignore'), 'snippets/\n');
    const paths = (cwd: string) => (JSON.parse(huashu(['lint', '-f', 'json', '.'], { cwd }).stdout) as JsonReport).files.map((f) => f.path);
    expect(paths(dir)).toContain('snippets/templates.json');
    git(['init', '-q'], dir);
    expect(paths(dir).some((p) => p.startsWith('snippets/'))).toBe(false);
    expect(paths(dir)).toContain('macros/refund-delay.md');
  });

  it('--cache: a re-run lints only changed files; a changed rule pack starts afresh', () => {
    const dir = copyRepo('cached');
    const cache = join(dir, 'cache', 'lint.json');
    const run = () => huashu(['lint', '-f', 'json', '--cache', '--cache-location', cache, '--verbose', '.'], { cwd: dir });
    const first = run();
    expect(first.stderr, first.stderr).toContain(`cache ${cache}: 0 unchanged, ${LINTED.length} linted`);
    expect(existsSync(cache)).toBe(true);
    const second = run();
    expect(second.stderr).toContain(`cache ${cache}: ${LINTED.length} unchanged, 0 linted`);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);

    // one file changed: it alone is linted again, and its new finding is reported
    writeFileSync(join(dir, 'snippets/closing.txt'), '您好，我保證明天送到。\n');
    const third = run();
    expect(third.stderr).toContain(`cache ${cache}: ${LINTED.length - 1} unchanged, 1 linted`);
    const closing = (JSON.parse(third.stdout) as JsonReport).files.find((f) => f.path === 'snippets/closing.txt')!;
    expect(closing.findings.map((f) => f.excerpt)).toEqual(['保證']);

    // another rule pack (or other options) invalidates the whole cache
    const pack = join(tmp, 'extra-pack.yaml');
    writeFileSync(pack, 'pack: house\nrules:\n  - id: house/hello\n    kind: phrase\n    category: tone\n    severity: info\n    message: 問候\n    match: { phrases: [您好] }\n');
    const fourth = huashu(['lint', '-f', 'json', '--cache', '--cache-location', cache, '--verbose', '--rules', pack, '.'], { cwd: dir });
    expect(fourth.stderr).toContain(`cache ${cache}: rules or options changed`);
    expect(fourth.stderr).toContain(`0 unchanged, ${LINTED.length} linted`);

    // a damaged cache is rebuilt, not an error
    writeFileSync(cache, '{not json');
    expect(run().stderr).toContain('damaged; rebuilt');
  });

  it('--changed-since lints only the files a branch changed', () => {
    const dir = copyRepo('branch');
    git(['init', '-q', '-b', 'main'], dir);
    git(['add', '-A'], dir);
    git(['commit', '-q', '-m', 'macros'], dir);
    git(['checkout', '-q', '-b', 'feature'], dir);
    writeFileSync(join(dir, 'macros/shipping-cn.md'), '# 物流\n\n您的包裹一定会在明天送到。\n');
    git(['commit', '-q', '-am', 'edit'], dir);
    writeFileSync(join(dir, 'macros/new-macro.txt'), '这个不归我们管。\n'); // new, not yet committed
    writeFileSync(join(dir, 'assets/new.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
    const r = huashu(['lint', '-f', 'json', '--changed-since', 'main'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).files.map((f) => f.path)).toEqual(['macros/new-macro.txt', 'macros/shipping-cn.md']);
    // nothing changed: nothing to lint is fine
    const none = huashu(['lint', '--changed-since', 'HEAD', 'i18n/'], { cwd: dir });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('✔ no problems (0 files linted)');
    // a ref git does not know is a usage error
    expect(huashu(['lint', '--changed-since', 'no-such-branch'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^huashu: --changed-since: 'no-such-branch' is not a commit/) });
  });
});
