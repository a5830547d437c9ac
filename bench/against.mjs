// This build against another built checkout, by wall time, on the two figures issues 15/16 hold to
// ("one-draft latency and audit throughput stay within 10% of today's"): `huashu lint draft.txt` on the
// start-up bench's drafts (bench/startup.mjs), and `huashu audit --jobs 1` on the shared corpus's four
// exports (skipped without ../shared/corpus). The two builds run alternately, N times each, so the
// host's load moves both alike; medians, and this build's change on the other. CPU time (user + sys, GNU
// time) too for the audit.
//
// Why wall time and not only instructions (bench/audit-instructions.mjs, startup.mjs --instructions):
// the twelfth session found the audit 23% slower by wall and CPU time where callgrind counted 8.6% more
// instructions. A bigger classifier table and more patterns cost cache misses, which callgrind does not
// count (docs/performance.md).
//
// Usage: node bench/against.mjs <dir of another built huashu> [runs, default 15] [--audit-runs N, default 5]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAFTS } from './startup.mjs';
import { BIN, median } from './lib.mjs';

const args = process.argv.slice(2);
const other = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!other || !existsSync(join(other, 'bin', 'huashu.js'))) {
  console.error('usage: node bench/against.mjs <dir of another built huashu checkout> [runs] [--audit-runs N]');
  process.exit(2);
}
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const auditAt = args.indexOf('--audit-runs');
const auditRuns = auditAt >= 0 ? Number(args[auditAt + 1]) : 5;
const builds = [
  ['this build', BIN],
  [other, join(other, 'bin', 'huashu.js')],
];
const gnuTime = existsSync('/usr/bin/time');

function timed(argv) {
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, argv, { stdio: 'ignore' });
  const wall = performance.now() - t0;
  const [user, sys] = gnuTime ? (r.stderr ?? '').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
  return { wall, cpu: (user + sys) * 1000 };
}

/** Each case run alternately on both builds; medians. */
function compare(name, argvOf, n, withCpu) {
  const walls = builds.map(() => []);
  const cpus = builds.map(() => []);
  for (let i = 0; i < n; i++) {
    builds.forEach(([, bin], j) => {
      // one-draft runs bare (GNU time adds ~30 ms to a run this short); the audit under GNU time
      const t = withCpu ? timed(argvOf(bin)) : { wall: bare(argvOf(bin)), cpu: NaN };
      walls[j].push(t.wall);
      cpus[j].push(t.cpu);
    });
  }
  const [mine, theirs] = walls.map(median);
  const change = ((mine / theirs - 1) * 100).toFixed(1);
  const cpu = withCpu && gnuTime ? `   CPU ${median(cpus[0]).toFixed(0)} ms against ${median(cpus[1]).toFixed(0)} (${((median(cpus[0]) / median(cpus[1]) - 1) * 100).toFixed(1)}%)` : '';
  console.log(`${name.padEnd(38)} ${mine.toFixed(0).padStart(6)} ms against ${theirs.toFixed(0).padStart(6)} ms  ${change.startsWith('-') ? '' : '+'}${change}%${cpu}`);
}

function bare(argv) {
  const t0 = performance.now();
  spawnSync(process.execPath, argv, { stdio: 'ignore' });
  return performance.now() - t0;
}

console.log(`this build against ${other}: medians of ${runs} alternating runs (one draft), ${auditRuns} (audit)`);
const dir = mkdtempSync(join(tmpdir(), 'huashu-against-'));
try {
  for (const [name, text] of Object.entries(DRAFTS)) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.txt`);
    writeFileSync(file, text);
    for (const format of ['json', 'stylish']) compare(`lint ${format}, ${name}`, (bin) => [bin, 'lint', file, '--format', format], runs, false);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const files = ['csds_jd.jsonl', 'jddc_chat_sample.jsonl', 'stc3_weibo_helpdesk.jsonl', 'transcripts-sample.csv'].map((f) => join(corpus, f));
if (files.every((f) => existsSync(f))) compare('audit --jobs 1, the corpus exports', (bin) => [bin, 'audit', '--jobs', '1', ...files], auditRuns, true);
else console.log(`audit: skipped (the shared corpus's exports are not in ${corpus})`);
