// Throughput and memory of `huashu audit` on a big JSON lines file built by repeating the shared
// corpus (../shared/corpus, research data: read from there, never copied into the project), with
// --jobs 1 and --jobs 2, against raw nodejieba segmentation of the same agent texts as a ceiling.
//
// Usage: node bench/audit.mjs [size in MB, default 1024] [--runs N] [--keep]   (after npm run build)
// The big file goes to a temporary directory and is deleted afterwards (unless --keep). With --runs N
// each configuration runs N times, alternating, and the fastest run counts: on a shared machine the
// others measure the neighbours as much as huashu.
// Targets (issue 5): --jobs 1 ≥ 0.5× raw segmentation, --jobs 2 ≥ 1.7× --jobs 1, peak RSS < 300 MB.
// Also two --jobs 1 processes at once on the two halves of the file: what the machine gives a split of
// the work when nothing is shared, the reference for --jobs 2 (the host's other load moves both).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const files = ['csds_jd.jsonl', 'stc3_weibo_helpdesk.jsonl', 'jddc_chat_sample.jsonl'].map((f) => join(corpus, f));
if (!files.every(existsSync)) {
  console.log(`bench/audit.mjs: ${corpus} not found; nothing to measure`);
  process.exit(0);
}
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
const sizeMb = Number(args.find((a, i) => /^\d+$/.test(a) && !(runsAt >= 0 && i === runsAt + 1)) ?? 1024);
const keep = process.argv.includes('--keep');
const bin = join(root, 'bin', 'huashu.js');
const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-audit-'));
const big = join(dir, 'corpus-repeated.jsonl');

// Build the file: the corpus over and over, each copy with its own dialogue ids.
const base = files.map((f) => readFileSync(f, 'utf8')).join('');
const out = createWriteStream(big);
let written = 0;
for (let copy = 0; written < sizeMb * 1024 * 1024; copy++) {
  const chunk = copy === 0 ? base : base.replaceAll('"dialogue_id": "', `"dialogue_id": "r${copy}-`).replaceAll('"dialogue_id":"', `"dialogue_id":"r${copy}-`);
  if (!out.write(chunk)) await once(out, 'drain');
  written += Buffer.byteLength(chunk);
}
out.end();
await once(out, 'finish');
const bytes = statSync(big).size;
const MB = bytes / 1024 / 1024;

// The two halves of the file (cut at a line), for two `--jobs 1` processes side by side: what splitting
// the work costs on this machine with nothing shared, the reference for --jobs 2.
const halves = [join(dir, 'half-1.jsonl'), join(dir, 'half-2.jsonl')];
{
  const whole = readFileSync(big);
  const cut = whole.indexOf(10, whole.length >> 1) + 1;
  writeFileSync(halves[0], whole.subarray(0, cut));
  writeFileSync(halves[1], whole.subarray(cut));
}

const timeBin = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
/** Run node with args; wall time, user+sys CPU and peak RSS (GNU time), stdout. */
function measure(args) {
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const [rss, user, sys] = timeBin ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { wall, cpu: user + sys, rssMb: rss / 1024, stdout: r.stdout };
}

// The ceiling: read the same file, parse each line, segment every agent text with nodejieba.
const rawScript = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const jieba = require(${JSON.stringify(join(root, 'node_modules', 'nodejieba'))});
jieba.load({});
let rows = 0, tokens = 0;
(async () => {
  for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
    if (!line) continue;
    rows++;
    const t = JSON.parse(line);
    if (t.role === 'agent') tokens += jieba.cut(t.text, true).length;
  }
  console.log(JSON.stringify({ rows, tokens }));
})();`;

// How much parallelism the machine really offers right now: two spinning threads against one.
const spin = `const t = Date.now(); let x = 0; while (Date.now() - t < 2000) x++; require('node:worker_threads').parentPort.postMessage(x);`;
const spinOnce = () => new Promise((resolve) => new Worker(spin, { eval: true }).on('message', resolve));
const single = await spinOnce();
const pair = await Promise.all([spinOnce(), spinOnce()]);
const cores = (pair[0] + pair[1]) / single;
console.log(`available parallelism now: ${cores.toFixed(2)} cores' worth (2 spinning threads vs 1; other load on the machine lowers it)`);
console.log(`huashu audit benchmark: ${MB.toFixed(0)} MB of JSON lines (the shared corpus repeated), node ${process.version}, ${availableParallelism()} cores, best of ${runs}`);
const configs = [
  { name: 'raw nodejieba segmentation', args: ['-e', rawScript, big], rows: (out) => JSON.parse(out).rows },
  ...[1, 2].map((jobs) => ({
    name: `huashu audit --jobs ${jobs}`,
    args: [bin, 'audit', big, '--jobs', String(jobs), '--quiet', '--format', 'json'],
    rows: (out) => {
      const summary = JSON.parse(out);
      if (summary.rows !== summary.audited + summary.skipped + summary.errors) throw new Error('ledger does not add up');
      return summary.rows;
    },
  })),
];
/** Two `--jobs 1` audits at once, one per half: wall time of the slower, CPU and peak RSS added up. */
async function measurePair() {
  const { spawn } = await import('node:child_process');
  const t0 = performance.now();
  const one = (half) =>
    new Promise((resolve, reject) => {
      const args = [bin, 'audit', half, '--jobs', '1', '--quiet', '--format', 'json'];
      const child = timeBin ? spawn('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...args]) : spawn(process.execPath, args);
      let err = '';
      child.stdout.resume();
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0 && code !== 1) return reject(new Error(`pair: exit ${code}\n${err}`));
        const [rss, user, sys] = timeBin ? err.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
        resolve({ rssMb: rss / 1024, cpu: user + sys });
      });
    });
  const [a, b] = await Promise.all(halves.map(one));
  return { wall: (performance.now() - t0) / 1000, cpu: a.cpu + b.cpu, rssMb: a.rssMb + b.rssMb };
}

const best = new Map();
let split;
for (let run = 0; run < runs; run++) {
  const p = await measurePair();
  if (!split || p.wall < split.wall) split = p;
  for (const c of configs) {
    const m = measure(c.args);
    const r = { name: c.name, ...m, rows: c.rows(m.stdout), rssMb: Math.max(m.rssMb, best.get(c.name)?.rssMb ?? 0) };
    if (!best.has(c.name) || r.wall < best.get(c.name).wall) best.set(c.name, r);
    else best.get(c.name).rssMb = r.rssMb;
  }
}
const results = configs.map((c) => best.get(c.name));
const pad = (s, n) => String(s).padStart(n);
console.log(`${'run'.padEnd(28)} ${pad('wall s', 8)} ${pad('cpu s', 8)} ${pad('MB/s', 7)} ${pad('rows/s', 9)} ${pad('peak RSS MB', 12)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(28)} ${pad(r.wall.toFixed(1), 8)} ${pad(r.cpu.toFixed(1), 8)} ${pad((MB / r.wall).toFixed(2), 7)} ${pad(Math.round(r.rows / r.wall), 9)} ${pad(r.rssMb.toFixed(0), 12)}`);
}
const [ceiling, one, two] = results;
console.log(`--jobs 1 / raw segmentation: ${(ceiling.wall / one.wall).toFixed(2)}× (target ≥ 0.5)`);
console.log(`--jobs 2 / --jobs 1:         ${(one.wall / two.wall).toFixed(2)}× (target ≥ 1.7; at most ${cores.toFixed(2)}× here now)`);
console.log(`CPU time --jobs 2 / --jobs 1: ${(two.cpu / one.cpu).toFixed(2)}× (the cost of going parallel)`);
console.log(`two --jobs 1 processes, one per half: ${split.wall.toFixed(1)} s = ${(one.wall / split.wall).toFixed(2)}× --jobs 1, CPU ${(split.cpu / one.cpu).toFixed(2)}×, ${split.rssMb.toFixed(0)} MB together (the reference for --jobs 2: the same split with nothing shared)`);
console.log(`peak RSS:                    ${Math.max(one.rssMb, two.rssMb).toFixed(0)} MB (target < 300)`);
console.log(`(rows ${one.rows.toLocaleString('en-US')}; peak RSS is the highest of all runs; wall times depend on what else the machine is running)`);
if (!keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${big}`);
