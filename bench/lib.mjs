// Shared helpers for the benches: timed child processes (wall, CPU, peak RSS), the corpus text, tables.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'huashu.js');
/** Real dialogues, never copied into the project (see ../shared/corpus/README.md). */
export const CORPUS_DIR = join(ROOT, '..', 'shared', 'corpus');

/** GNU time gives CPU time and peak RSS of a child; without it we only have wall time. */
export const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
/** `perf stat` counts CPU time to the microsecond (GNU time prints it in hundredths of a second). */
export const hasPerf = hasTime && spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Run a command to completion. wall in ms; cpu (user + sys) in ms and rss (peak resident set) in MB when
 * /usr/bin/time is there. stdout is discarded unless `keepStdout`. `bare`: no /usr/bin/time or perf
 * around the command (they add ~30 ms to a short run's wall time), so wall time only.
 */
export function runTimed(cmd, args, { input, keepStdout = false, env, cwd, bare = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-time-'));
  const out = join(dir, 'time');
  const perfOut = join(dir, 'perf');
  try {
    const timed = hasPerf && !bare ? ['perf', 'stat', '-x,', '-e', 'task-clock', '-o', perfOut, cmd, ...args] : [cmd, ...args];
    const argv = hasTime && !bare ? ['/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', ...timed]] : [cmd, args];
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv[1], {
      input,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: [input === undefined ? 'ignore' : 'pipe', keepStdout ? 'pipe' : 'ignore', 'pipe'],
      env: env ?? process.env,
      cwd,
    });
    const wall = performance.now() - t0;
    const result = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wall };
    if (hasTime && existsSync(out)) {
      const [, user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      Object.assign(result, { cpu: (user + sys) * 1000, rss: kb / 1024 });
    }
    if (hasPerf && existsSync(perfOut)) {
      const clock = readFileSync(perfOut, 'utf8').split('\n').find((l) => l.includes('task-clock'));
      if (clock) result.cpu = Number(clock.split(',')[0]);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The agent turns of ../shared/corpus/*.jsonl, in file order; [] when the corpus is absent. */
export function agentTurns() {
  if (!existsSync(CORPUS_DIR)) return [];
  const turns = [];
  for (const f of readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(CORPUS_DIR, f), 'utf8').split('\n')) {
      if (!line) continue;
      const d = JSON.parse(line);
      if (d.role === 'agent') turns.push(d.text.replace(/\r?\n|\r/g, ' '));
    }
  }
  return turns;
}

/** Agent turns one per line, repeated until the text reaches `bytes` (UTF-8), cut at a line end. */
export function corpusText(bytes) {
  const turns = agentTurns();
  if (turns.length === 0) return '';
  const once = turns.join('\n') + '\n';
  const onceBytes = Buffer.byteLength(once);
  if (bytes === undefined || bytes <= onceBytes) {
    if (bytes === undefined) return once;
    const buf = Buffer.from(once).subarray(0, bytes);
    const cut = buf.lastIndexOf(0x0a);
    return buf.subarray(0, cut + 1).toString('utf8');
  }
  const repeated = Buffer.from(once.repeat(Math.ceil(bytes / onceBytes))).subarray(0, bytes);
  return repeated.subarray(0, repeated.lastIndexOf(0x0a) + 1).toString('utf8');
}

/** Pin a command to one core where `taskset` exists (throughput is measured on one core). */
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
export const oneCore = (cmd, args) => (hasTaskset ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args]);

/** Does this huashu have the command (`huashu <name> --help` shows that command's usage)? */
export function hasCommand(name) {
  const r = spawnSync(process.execPath, [BIN, name, '--help'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes(`huashu ${name}`);
}

/** Write `text` to a fresh temporary file; returns { file, dir, bytes }. */
export function tmpFile(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { file, dir, bytes: Buffer.byteLength(text) };
}

export const mb = (bytes) => bytes / (1024 * 1024);

/** A plain text table, first column left-aligned, the others right-aligned. */
export function table(head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, c) => Math.max(...all.map((r) => [...r[c]].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
