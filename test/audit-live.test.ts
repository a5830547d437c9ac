// `audit --stdin --format jsonl` behind a pipe answers each line as it arrives: a child process is fed one
// record, its result line is read back while standard input is still open, and only then the next record
// is written. (Before, nothing came out until the input ended or 64 KB had been read.)
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'huashu.js');

interface Live {
  child: ChildProcess;
  /** The next line written to stdout (waits for it). */
  nextLine(timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

function start(args: string[]): Live {
  const child = spawn(process.execPath, [BIN, 'audit', '--stdin', '--format', 'jsonl', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let buffered = '';
  let stderr = '';
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    wake?.();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    async nextLine(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.length === 0) {
        if (Date.now() > deadline) throw new Error(`no result line within ${timeoutMs} ms (stdin still open); stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return lines.shift()!;
    },
  };
}

let running: Live | undefined;
afterEach(() => {
  running?.child.kill();
  running = undefined;
});

describe('audit --stdin --format jsonl from a pipe', () => {
  it('JSON lines: each record is answered before the next is written, stdin still open', async () => {
    const live = (running = start([]));
    live.child.stdin!.write(JSON.stringify({ conversation: 'c1', role: 'agent', text: '我保證明天一定送到。' }) + '\n');
    const first = JSON.parse(await live.nextLine());
    expect(first).toMatchObject({ row: 1, status: 'audited', conversation: 'c1' });
    expect(first.findings.map((f: { rule: string }) => f.rule)).toContain('overpromise/guarantee');

    live.child.stdin!.write(JSON.stringify({ conversation: 'c1', role: 'customer', text: '好的，謝謝' }) + '\n');
    expect(JSON.parse(await live.nextLine())).toMatchObject({ row: 2, status: 'skipped', code: 'customer' });

    // A record written in two pieces is answered once its line is whole.
    const third = JSON.stringify({ conversation: 'c1', role: 'agent', text: '關於您的投訴，我們已經收到了。' });
    live.child.stdin!.write(third.slice(0, 20));
    await new Promise((r) => setTimeout(r, 300));
    live.child.stdin!.write(third.slice(20) + '\n');
    const answer = JSON.parse(await live.nextLine());
    expect(answer).toMatchObject({ row: 3, status: 'audited', customer: '好的，謝謝' });
    expect(answer.findings.map((f: { rule: string }) => f.rule)).toContain('negative/complaint-noun');

    live.child.stdin!.end();
    expect(await live.exited).toBe(0);
  });

  it('CSV: the header, then each row answered as it arrives', async () => {
    const live = (running = start(['--input-format', 'csv']));
    live.child.stdin!.write('role,text\n');
    live.child.stdin!.write('agent,我保證明天一定送到。\n');
    const first = JSON.parse(await live.nextLine());
    expect(first).toMatchObject({ row: 1, status: 'audited' });
    expect(first.findings.map((f: { rule: string }) => f.rule)).toContain('overpromise/guarantee');
    live.child.stdin!.write('agent,"您好，已為您登記。"\n');
    expect(JSON.parse(await live.nextLine())).toMatchObject({ row: 2, status: 'audited', findings: [] });
    live.child.stdin!.end();
    expect(await live.exited).toBe(0);
  });
});
