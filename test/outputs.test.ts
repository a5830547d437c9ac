// Output options of `huashu lint` and `huashu audit`, through the real CLI: an output never replaces an
// input or another output, a device or FIFO is written to (not replaced), `-` and /dev/stdout are
// standard output, and every output target is checked before the run.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { huashuChild } from './helpers/child.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const CSV = join(ROOT, 'fixtures', 'audit', 'helpdesk-simplified.csv');
const isRoot = process.getuid?.() === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function huashu(args: string[], cwd = tmp): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input: '', encoding: 'utf8', env, timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run huashu writing to the FIFO `fifo` while `cat` reads it; what cat read (undefined: it never got a writer). */
async function throughFifo(fifo: string, args: string[]): Promise<{ run: Run; read: string | undefined }> {
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
  let read = '';
  reader.stdout.setEncoding('utf8').on('data', (d: string) => (read += d));
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      reader.kill();
      resolve(false);
    }, 5000);
    reader.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const run = await huashuChild(args, tmp);
  return { run, read: (await closed) ? read : undefined };
}

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-outputs-'));
  copyFileSync(CSV, join(tmp, 'in.csv'));
  writeFileSync(join(tmp, 't.txt'), '您的包裹一定會在明天送到,我保證。\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tempFiles = () => readdirSync(tmp).filter((f) => f.endsWith('.tmp'));

describe('an output is never an input or another output', () => {
  it('audit: --out, --errors, --summary or --report naming an input is refused, the export intact', () => {
    const before = readFileSync(join(tmp, 'in.csv'));
    linkSync(join(tmp, 'in.csv'), join(tmp, 'hard-link.csv'));
    for (const [option, path] of [
      ['--out', 'in.csv'],
      ['--errors', './in.csv'],
      ['--summary', join(tmp, 'in.csv')],
      ['--report', 'hard-link.csv'],
    ]) {
      const r = huashu(['audit', '--jobs', '1', 'in.csv', option!, path!]);
      expect(r.code, `${option} ${path}`).toBe(2);
      expect(r.stderr).toBe(`huashu: ${option} ${path}: is also an input (in.csv); writing there would destroy it: choose another file\n`);
      expect(r.stdout).toBe('');
      expect(readFileSync(join(tmp, 'in.csv')).equals(before)).toBe(true);
    }
    expect(tempFiles()).toEqual([]);
  });

  it('audit: two outputs naming one file (or both standard output) are refused before the run', () => {
    writeFileSync(join(tmp, 'o.jsonl'), 'old\n');
    for (const args of [
      ['--out', 'o.jsonl', '--errors', './o.jsonl'],
      ['--out', 'new.jsonl', '--summary', join(tmp, 'new.jsonl')],
      ['--out', '-', '--errors', '/dev/stdout'],
    ]) {
      const r = huashu(['audit', '--jobs', '1', 'in.csv', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^huashu: ${args[0]} and ${args[2]} both write to (the same file \\(.*\\)|standard output): give each output its own file\\n$`));
      expect(r.stderr).not.toContain('huashu audit:');
    }
    expect(readFileSync(join(tmp, 'o.jsonl'), 'utf8')).toBe('old\n');
    expect(existsSync(join(tmp, 'new.jsonl'))).toBe(false);
  });

  it('lint: -o naming a draft is refused, the draft intact; last run’s report found in a folder is left out', () => {
    const draft = readFileSync(join(tmp, 't.txt'), 'utf8');
    const r = huashu(['lint', '-o', 't.txt', 't.txt']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('huashu: --output-file t.txt: is also an input (t.txt); writing there would destroy it: choose another file\n');
    expect(readFileSync(join(tmp, 't.txt'), 'utf8')).toBe(draft);
    const both = huashu(['lint', '-o', './t.txt', join(tmp, 'other.txt'), 't.txt']);
    expect(both.code).toBe(2);
    expect(readFileSync(join(tmp, 't.txt'), 'utf8')).toBe(draft);

    mkdirSync(join(tmp, 'drafts'));
    writeFileSync(join(tmp, 'drafts', 'a.txt'), '我保證。\n');
    writeFileSync(join(tmp, 'drafts', 'report.json'), '{}\n');
    const walk = huashu(['lint', '-f', 'json', '-o', 'drafts/report.json', 'drafts']);
    expect(walk.code).toBe(1);
    const report = JSON.parse(readFileSync(join(tmp, 'drafts', 'report.json'), 'utf8')) as { files: { path: string }[] };
    expect(report.files.map((f) => f.path)).toEqual(['drafts/a.txt']);
  });

  it('the same file named twice is read once (audit s.csv ./s.csv)', () => {
    const r = huashu(['audit', '--jobs', '1', '-f', 'json', 'in.csv', './in.csv', join(tmp, 'in.csv')]);
    const summary = JSON.parse(r.stdout) as { rows: number; files: unknown[] };
    expect(summary.files).toHaveLength(1);
    expect(summary.rows).toBe(13);
  });
});

describe('outputs that are not regular files', () => {
  it('- and /dev/stdout are standard output (lint -o; audit --out, the table then on stderr)', () => {
    for (const path of ['-', '/dev/stdout']) {
      const lint = huashu(['lint', '-f', 'json', '-o', path, 't.txt']);
      expect(lint.code, path).toBe(1);
      expect(JSON.parse(lint.stdout)).toMatchObject({ version: 1, summary: { files: 1 } });
      const audit = huashu(['audit', '--jobs', '1', 'in.csv', '--out', path]);
      expect(audit.code, path).toBe(1);
      const lines = audit.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(JSON.parse(l)).toHaveProperty('rule');
      expect(audit.stderr).toContain('huashu audit: 13 rows');
    }
    const clash = huashu(['audit', '--jobs', '1', 'in.csv', '--out', '-', '--format', 'json']);
    expect(clash).toMatchObject({ code: 2, stdout: '' });
    expect(clash.stderr).toBe('huashu: --out - and --format json both write to standard output: name a file for one of them\n');
  });

  it('a FIFO is written to, not replaced by a regular file (lint -o, audit --out)', async () => {
    const fifo = join(tmp, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const lint = await throughFifo(fifo, ['lint', '-f', 'json', '-o', fifo, 't.txt']);
    expect(lint.run.code).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(JSON.parse(lint.read ?? 'null')).toMatchObject({ version: 1 });
    const audit = await throughFifo(fifo, ['audit', '--jobs', '1', 'in.csv', '--out', fifo]);
    expect(audit.run.code).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(audit.read).toMatch(/^\{"file":"in\.csv".*"rule":/);
    expect(tempFiles()).toEqual([]);
  });

  // /dev/null itself only without root's rights (as root a regression could replace it): as this user, or
  // as nobody when the tests run as root.
  const unprivileged = !isRoot ? [] : spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0 ? ['runuser', '-u', 'nobody', '--'] : undefined;
  it.skipIf(unprivileged === undefined)('-o /dev/null and --out /dev/null work without root (no temporary file in /dev)', () => {
    const run = (args: string[], input: string | Buffer) => {
      const [command, ...rest] = [...unprivileged!, process.execPath, BIN, ...args];
      return spawnSync(command!, rest, { cwd: '/', input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    };
    const lint = run(['lint', '-o', '/dev/null', '-'], '您的包裹一定會在明天送到,我保證。\n');
    expect({ code: lint.status, stdout: lint.stdout, stderr: lint.stderr }).toEqual({ code: 1, stdout: '', stderr: '' });
    const audit = run(['audit', '--jobs', '1', '-q', '--stdin', '--out', '/dev/null', '--summary', '/dev/null'], readFileSync(CSV));
    expect({ code: audit.status, stderr: audit.stderr }).toEqual({ code: 1, stderr: '' });
    expect(audit.stdout).toContain('huashu audit: 13 rows');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  // A private copy of /dev/null (the real one must never be put at risk by a test run as root).
  it.skipIf(!isRoot)('a character device stays one, and may take several outputs', () => {
    const dev = join(tmp, 'null');
    expect(spawnSync('mknod', [dev, 'c', '1', '3']).status).toBe(0);
    expect(huashu(['lint', '-o', dev, 't.txt']).code).toBe(1);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    const r = huashu(['audit', '--jobs', '1', 'in.csv', '--out', dev, '--errors', dev, '--report', dev]);
    expect(r.code).toBe(1);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(tempFiles()).toEqual([]);
  });
});

describe('audit outputs are committed as a set', () => {
  it('an output that cannot be written is an error before the run, and no other output is replaced', () => {
    writeFileSync(join(tmp, 'keep.jsonl'), 'old\n');
    mkdirSync(join(tmp, 'a-directory'));
    const r = huashu(['audit', '--jobs', '1', 'in.csv', '--out', 'keep.jsonl', '--report', 'a-directory']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('huashu: --report a-directory: is a directory (name a file)\n');
    expect(readFileSync(join(tmp, 'keep.jsonl'), 'utf8')).toBe('old\n');
    expect(tempFiles()).toEqual([]);
  });
});
