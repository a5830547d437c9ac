// Instructions `huashu audit --jobs 1` executes on the shared corpus's four exports (issues 15/16:
// "audit throughput stays within 10% of today's"), counted by callgrind, against another build (a worktree
// of the reference commit) when one is named: N runs each, alternating, lowest–highest. A count moves by
// a few percent from run to run (V8 compiles on background threads, and under callgrind's slowdown a GC
// comes or goes), so compare several runs, not one. ~3 minutes a run.
// Also CPU time (user + sys, /usr/bin/time) of the same command without callgrind, N runs each, alternating.
// Usage: node bench/audit-instructions.mjs [runs] [--against <dir of another built huashu>]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './lib.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? args[againstAt + 1] : undefined;
const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const FILES = ['csds_jd.jsonl', 'jddc_chat_sample.jsonl', 'stc3_weibo_helpdesk.jsonl', 'transcripts-sample.csv'].map((f) => join(CORPUS, f));

if (!FILES.every((f) => existsSync(f))) {
  console.log(`skipped: the shared corpus's exports are not in ${CORPUS}`);
  process.exit(0);
}
const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;
const gnuTime = existsSync('/usr/bin/time');
const builds = [['this build', BIN], ...(against ? [[against, join(against, 'bin', 'huashu.js')]] : [])];
const argv = (bin) => [bin, 'audit', '--jobs', '1', ...FILES];

function instructions(bin) {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...argv(bin)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  return m ? Number(m[1]) : undefined;
}

function cpu(bin) {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...argv(bin)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const [user, sys, rss] = (r.stderr ?? '').trim().split('\n').pop().split(' ').map(Number);
  return { cpu: user + sys, rss: rss / 1024 };
}

const results = new Map(builds.map(([name]) => [name, { counts: [], cpus: [], rss: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, bin] of builds) {
    const r = results.get(name);
    if (gnuTime) {
      const c = cpu(bin);
      r.cpus.push(c.cpu);
      r.rss.push(c.rss);
    }
    if (valgrind) r.counts.push(instructions(bin));
  }
}
const range = (xs, f) => (xs.length === 0 || xs.some((x) => x === undefined) ? '-' : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`);
for (const [name, r] of results) {
  console.log(`${name}: instructions ${range(r.counts, (x) => `${Math.round(x / 1e6).toLocaleString('en')} M`)}, CPU ${range(r.cpus, (x) => `${x.toFixed(2)} s`)}, peak RSS ${range(r.rss, (x) => `${x.toFixed(0)} MB`)} (${runs} runs)`);
}
if (!valgrind) console.log('(no valgrind here: instructions not counted)');
