// CI and editor conventions of `huashu lint`, through the built CLI: --stdin-filename, --format compact and
// rdjson, SARIF fingerprints/helpUri/fixes/base path (validated against the SARIF 2.1.0 schema), the
// github format's order, cap and job summary, the --fix/--fix-dry-run aliases and `huashu help <cmd>`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync, type Run } from './helpers/child.js';
import type { Finding } from '../src/engine/findings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');


function huashu(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Run {
  return huashuSync(args, { cwd: options.cwd ?? dir, input: options.input, timeout: 60_000, env: { GITHUB_STEP_SUMMARY: undefined, ...options.env } });
}

const jsonFindings = (r: Run): { path: string; findings: Finding[] }[] => (JSON.parse(r.stdout) as { files: { path: string; findings: Finding[] }[] }).files;

// A macro repository of this test's own: a git work tree (a .git folder marks its root), macros in a
// subfolder with a config of their own.
const MARKDOWN = '# 物流說明\n\n😀您好，關於您的投訴，我保證明天送到。\n\n這次延誤不是我們的問題。\n';
const JSON_MACRO = '{ "macros": [ { "title": "延誤", "reply": "關於您的\\"投訴\\"，{{agent}}保證明天一定送到。" } ] }\n';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-ci-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'macros', 'drafts'), { recursive: true });
  writeFileSync(join(dir, 'macros', 'shipping.md'), MARKDOWN);
  writeFileSync(join(dir, 'macros', 'export.json'), JSON_MACRO);
  writeFileSync(join(dir, 'macros', '.huashurc.yaml'), 'rules: { blame: off }\nignore: ["drafts/**"]\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--stdin-filename', () => {
  it("lints standard input as that file: its reader, its config, its name", () => {
    const asFile = huashu(['lint', '--format', 'json', 'macros/export.json']);
    const piped = huashu(['lint', '--format', 'json', '--stdin-filename', 'macros/export.json'], { input: JSON_MACRO });
    expect(piped.code).toBe(1);
    expect(jsonFindings(piped)).toEqual(jsonFindings(asFile));
    expect(jsonFindings(piped)[0]!.path).toBe('macros/export.json');
    // Without it, the same text is plain text with the working directory's config: the JSON key 'title'
    // and the blame rule the macros' config turns off are back in play.
    const plain = huashu(['lint', '--format', 'json', '-'], { input: MARKDOWN });
    const asMarkdown = huashu(['lint', '--format', 'json', '--stdin-filename', 'macros/shipping.md'], { input: MARKDOWN });
    expect(jsonFindings(plain)[0]!.findings.some((f) => f.ruleId.startsWith('blame/'))).toBe(true);
    expect(jsonFindings(asMarkdown)[0]!.findings.some((f) => f.ruleId.startsWith('blame/'))).toBe(false);
  });

  it("a name the config ignores: a warning, nothing linted; without stdin: a usage error", () => {
    const r = huashu(['lint', '--stdin-filename', 'macros/drafts/new.txt'], { input: '關於您的投訴' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/macros\/drafts\/new\.txt: ignored by .*\.huashurc\.yaml/);
    const usage = huashu(['lint', '--stdin-filename', 'x.md', 'macros']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--stdin-filename/);
  });
});

describe('--format compact', () => {
  it('one line per finding: file:line:col: severity message [rule]', () => {
    const r = huashu(['lint', '--format', 'compact', 'macros']);
    expect(r.code).toBe(1);
    const expected = jsonFindings(huashu(['lint', '--format', 'json', 'macros'])).flatMap((file) =>
      file.findings.map((f) => `${file.path}:${f.line}:${f.column}: ${f.severity} ${f.message} 「${f.excerpt}」 [${f.ruleId}]`),
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
    // Vim's default errorformat reads it: %f:%l:%c: %m
    expect(r.stdout.split('\n')[0]).toMatch(/^macros\/export\.json:1:\d+: (error|warning|info) .+ \[[a-z]+\/[a-z-]+\]$/);
  });
});

describe('--format rdjson', () => {
  it('reviewdog diagnostics: UTF-8 byte columns, repository-relative paths, safe replacements as suggestions', () => {
    const r = huashu(['lint', '--format', 'rdjson', '.'], { cwd: join(dir, 'macros') });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      source: { name: string };
      diagnostics: { message: string; location: { path: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }; severity: string; code: { value: string; url?: string }; suggestions?: { range: unknown; text: string }[] }[];
    };
    expect(out.source.name).toBe('huashu');
    const expected = jsonFindings(huashu(['lint', '--format', 'json', 'macros'])).flatMap((file) => file.findings.map((f) => ({ path: file.path, ...f })));
    expect(out.diagnostics.map((d) => [d.location.path, d.code.value])).toEqual(expected.map((f) => [f.path, f.ruleId]));
    for (const [i, d] of out.diagnostics.entries()) {
      const f = expected[i]!;
      const line = readFileSync(join(dir, f.path), 'utf8').split('\n')[f.line - 1]!;
      // Code points before the finding (lint's column) → UTF-8 bytes (reviewdog's column).
      const bytesBefore = Buffer.byteLength([...line].slice(0, f.column - 1).join(''), 'utf8');
      expect(d.location.range.start).toEqual({ line: f.line, column: bytesBefore + 1 });
      expect(d.location.range.end).toEqual({ line: f.endLine, column: bytesBefore + Buffer.byteLength(f.excerpt, 'utf8') + 1 });
      expect(d.severity).toBe(f.severity.toUpperCase());
      expect(d.code.url).toMatch(/^https:\/\//);
    }
    const complaints = out.diagnostics.filter((d) => d.code.value === 'negative/complaint-noun');
    expect(complaints).toHaveLength(2);
    for (const d of complaints) expect(d.suggestions).toEqual([{ range: d.location.range, text: '回饋' }]);
    expect(out.diagnostics.find((d) => d.code.value === 'overpromise/guarantee')!.suggestions).toBeUndefined();
  });
});

describe('--format sarif', () => {
  const sarif = (args: string[], cwd = dir) => {
    const r = huashu(['lint', '--format', 'sarif', ...args], { cwd });
    expect(r.code).toBe(1);
    return JSON.parse(r.stdout) as {
      runs: {
        originalUriBaseIds: Record<string, { uri: string }>;
        tool: { driver: { rules: { id: string; helpUri?: string }[] } };
        results: {
          ruleId: string;
          partialFingerprints: Record<string, string>;
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endColumn: number } } }[];
          fixes?: { artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }[] }[] }[];
        }[];
      }[];
    };
  };

  it('validates against the SARIF 2.1.0 schema with fingerprints, helpUri and fixes', () => {
    const log = sarif(['macros']);
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The schema checks what the fields hold: a fingerprint must be a string.
    const broken = structuredClone(log);
    broken.runs[0]!.results[0]!.partialFingerprints = { x: 1 } as never;
    expect(validate(broken)).toBe(false);

    const run = log.runs[0]!;
    expect(run.tool.driver.rules.every((r) => /^https:\/\//.test(r.helpUri ?? ''))).toBe(true);
    expect(run.results.every((r) => /^[0-9a-f]{32}:\d+$/.test(Object.values(r.partialFingerprints)[0] ?? ''))).toBe(true);
    // Each fix, applied to the file, puts the safe replacement where the finding was (JSON escaping kept valid).
    const fixed = run.results.filter((r) => r.fixes);
    expect(fixed.map((r) => r.ruleId)).toEqual(['negative/complaint-noun', 'negative/complaint-noun']);
    for (const r of fixed) {
      const change = r.fixes![0]!.artifactChanges[0]!;
      const text = readFileSync(join(dir, change.artifactLocation.uri), 'utf8');
      const { deletedRegion: region, insertedContent } = change.replacements[0]!;
      const lines = text.split('\n');
      const chars = [...lines[region.startLine - 1]!];
      chars.splice(region.startColumn - 1, region.endColumn - region.startColumn, insertedContent.text);
      lines[region.startLine - 1] = chars.join('');
      const after = lines.join('\n');
      expect(after).toBe(text.replace('投訴', '回饋'));
      if (change.artifactLocation.uri.endsWith('.json')) expect(() => JSON.parse(after)).not.toThrow();
    }
  });

  it('URIs relative to the repository root (or --base-path), fingerprints that survive lines added above', () => {
    const fromSub = sarif(['.'], join(dir, 'macros'));
    const run = fromSub.runs[0]!;
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${dir}/`);
    expect(new Set(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['macros/export.json', 'macros/shipping.md']));
    const based = sarif(['.', '--base-path', '..'], join(dir, 'macros')).runs[0]!;
    expect(based.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    const own = sarif(['.', '--base-path', '.'], join(dir, 'macros')).runs[0]!;
    expect(own.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('export.json');

    // Lines added above: regions move, fingerprints do not.
    const before = sarif(['macros/shipping.md']).runs[0]!.results;
    writeFileSync(join(dir, 'macros', 'shipping.md'), '新增的一行。\n\n' + MARKDOWN);
    try {
      const after = sarif(['macros/shipping.md']).runs[0]!.results;
      expect(after.map((r) => r.locations[0]!.physicalLocation.region.startLine)).toEqual(before.map((r) => r.locations[0]!.physicalLocation.region.startLine + 2));
      expect(after.map((r) => r.partialFingerprints)).toEqual(before.map((r) => r.partialFingerprints));
    } finally {
      writeFileSync(join(dir, 'macros', 'shipping.md'), MARKDOWN);
    }
  });
});

describe('--format github', () => {
  it('errors first, capped with a notice of how many more, and a job summary table', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const all = jsonFindings(huashu(['lint', '--format', 'json', 'macros'])).flatMap((file) => file.findings);
    const r = huashu(['lint', '--format', 'github', '--max-annotations', '2', 'macros'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).every((l) => l.startsWith('::error '))).toBe(true);
    const errors = all.filter((f) => f.severity === 'error').length;
    const warnings = all.filter((f) => f.severity === 'warning').length;
    expect(errors).toBeGreaterThanOrEqual(2);
    expect(lines[2]).toBe(
      `::notice title=huashu::${all.length - 2} more findings not shown as annotations (${[errors - 2 ? `${errors - 2} error${errors - 2 === 1 ? '' : 's'}` : '', `${warnings} warning${warnings === 1 ? '' : 's'}`].filter(Boolean).join(', ')}; at most 2, see --max-annotations): the step summary, or huashu lint --format sarif, lists them all`,
    );
    // Without the cap, every finding, errors before warnings.
    const full = huashu(['lint', '--format', 'github', 'macros']).stdout.trimEnd().split('\n');
    expect(full).toHaveLength(all.length);
    const firstWarning = full.findIndex((l) => l.startsWith('::warning'));
    expect(full.slice(firstWarning).every((l) => !l.startsWith('::error'))).toBe(true);

    const table = readFileSync(summary, 'utf8');
    expect(table.startsWith('# earlier step\n### huashu: ')).toBe(true);
    expect(table).toContain(`${errors} errors, ${warnings} warning`);
    const rows = table.split('\n').filter((l) => /^\| (error|warning|info) \|/.test(l));
    expect(rows).toHaveLength(all.length);
    expect(rows[0]).toMatch(/^\| error \| `macros\/[a-z]+\.(md|json)` \| \d+ \| `[a-z]+\/[a-z-]+` \|/);
  });
});

describe('lint --fix, --fix-dry-run and help <cmd>', () => {
  it('--fix-dry-run prints what fix --dry-run prints; --fix writes what fix writes', () => {
    const file = join(dir, 'macros', 'shipping.md');
    const dry = huashu(['lint', '--fix-dry-run', 'macros/shipping.md']);
    expect(dry).toEqual(huashu(['fix', '--dry-run', 'macros/shipping.md']));
    expect(dry.stdout).toContain('+😀您好，關於您的回饋');
    expect(readFileSync(file, 'utf8')).toBe(MARKDOWN);
    try {
      const r = huashu(['lint', '--fix', 'macros/shipping.md']);
      expect(r.stdout).toMatch(/^fixed 1 problem in 1 file/);
      expect(readFileSync(file, 'utf8')).toBe(MARKDOWN.replace('投訴', '回饋'));
    } finally {
      writeFileSync(file, MARKDOWN);
    }
  });

  it('huashu help lint is huashu lint --help', () => {
    const help = huashu(['help', 'lint']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(huashu(['lint', '--help']).stdout);
    expect(help.stdout).toContain('--stdin-filename');
    const typo = huashu(['help', 'lnit']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^huashu: help: no command named 'lnit' — did you mean '(init|lint)'\?/);
    expect(typo.stdout).toBe('');
  });
});

describe('action.yml', () => {
  it('a composite action: set up Node, install huashu, lint with SARIF, upload it; inputs reach scripts only as variables', async () => {
    const { parse } = await import('yaml');
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      runs: { using: string; steps: { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
    };
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(steps.some((s) => /npm install --global .*"huashu@\$\{HUASHU_VERSION\}"/.test(s.run ?? ''))).toBe(true);
    expect(steps.some((s) => /huashu lint --format sarif --output-file "\$HUASHU_SARIF"/.test(s.run ?? ''))).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!.with!['sarif_file']).toBe('${{ inputs.sarif-file }}');
    // No expression is pasted into a shell script (script injection through an input).
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
    for (const name of ['paths', 'version', 'args', 'sarif-file']) expect(action.inputs[name]).toBeDefined();
  });
});
