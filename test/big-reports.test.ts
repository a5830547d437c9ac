// Reports with very many findings, through the real command line: they are written as they are made
// (a finding at a time), so neither the stack nor V8's 512 MB string limit caps them (issue 19).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const LINE = '您的包裹一定會在明天送到，我保證。\n'; // two error-level findings

interface Run {
  code: number | null;
  /** Bytes on stdout; only the first and last 64 KB are kept. */
  bytes: number;
  /** Characters (code points) on stdout. */
  chars: number;
  head: string;
  tail: string;
  stderr: string;
}

/** huashu with its standard output counted as it streams, not kept (it can be bigger than a string). */
function huashu(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let chars = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      for (const b of d) if ((b & 0xc0) !== 0x80) chars++; // UTF-8 bytes that start a character
      if (head.length < 65536) head = Buffer.concat([head, d]).subarray(0, 65536);
      tail = Buffer.concat([tail, d]).subarray(-65536);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, bytes, chars, head: head.toString('utf8'), tail: tail.toString('utf8'), stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-big-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('big reports are streamed', () => {
  it('stylish: 140,000 findings (a spread of them overflowed the stack)', async () => {
    const file = join(dir, 'many.txt');
    writeFileSync(file, LINE.repeat(70_000));
    const r = await huashu(['lint', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.head.startsWith(`${file}\n  1:5 `)).toBe(true);
    expect(r.tail.endsWith('\n✖ 140000 problems (140000 errors, 0 warnings, 0 info)\n')).toBe(true);
  }, 120_000);

  it('sarif and json bigger than the longest string V8 can make, to stdout and to a file', async () => {
    // A long folder name makes every SARIF result long: 140,000 of them are over 600 million characters.
    let deep = dir;
    for (let i = 0; i < 15; i++) deep = join(deep, `${'x'.repeat(200)}-${i}`);
    mkdirSync(deep, { recursive: true });
    const file = join(deep, 'many.txt');
    writeFileSync(file, LINE.repeat(70_000));
    const r = await huashu(['lint', '--format', 'sarif', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.chars).toBeGreaterThan(2 ** 29); // V8's longest string is 2^29 - 24 UTF-16 units
    expect(r.head.startsWith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"')).toBe(true);
    expect(r.tail).toMatch(/\n {6}\],\n {6}"invocations": \[\n {8}\{\n {10}"executionSuccessful": true\n {8}\}\n {6}\]\n {4}\}\n {2}\]\n\}\n$/);

    const out = join(dir, 'report.json');
    const j = await huashu(['lint', '--format', 'json', '--output-file', out, file]);
    expect([j.code, j.stderr, j.bytes]).toEqual([1, '', 0]);
    expect(statSync(out).size).toBeGreaterThan(150_000_000); // ~166 MB: fewer, draft-built suggestions per finding since issue 16
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('"summary": {\n    "files": 1,\n    "findings": 140000,\n    "errors": 140000,\n    "warnings": 0,\n    "infos": 0,\n    "byCategory": {\n      "overpromise": 140000\n    },\n    "skipped": 0\n  }\n}\n')).toBe(true);
  }, 180_000);
});
