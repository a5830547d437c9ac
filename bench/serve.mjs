// `huashu serve` under load: real agent turns from ../shared/corpus/*.jsonl (read at run time, never copied
// into the project) sent to POST /v1/lint over loopback by 1, 8 and 32 concurrent clients (keep-alive
// connections). Prints p50/p90/p99 latency per concurrency, the server's RSS after the first and the last
// thousand drafts, and checks the findings against `huashu lint --format json` on the same drafts (written
// to a temporary folder, removed after).
// Usage: node bench/serve.mjs [--drafts 10000] [--concurrency 1,8,32] [--check 10000] [--json]   (after npm run build)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, CORPUS_DIR, ROOT, loadAverage, table } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const log = (s) => process.stderr.write(`bench serve: ${s}\n`);

if (!existsSync(CORPUS_DIR)) {
  console.log(`skipped: no corpus at ${CORPUS_DIR}`);
  process.exit(0);
}

const count = Number(arg('--drafts', '10000'));
const levels = arg('--concurrency', '1,8,32').split(',').map(Number);
const checkCount = Math.min(count, Number(arg('--check', String(count))));

/** Agent turns as written (line breaks kept: a draft may have several lines). */
function agentDrafts() {
  const out = [];
  for (const f of readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(CORPUS_DIR, f), 'utf8').split('\n')) {
      if (!line) continue;
      const d = JSON.parse(line);
      if (d.role === 'agent' && typeof d.text === 'string' && d.text.trim()) out.push(d.text);
    }
  }
  return out;
}

const turns = agentDrafts();
if (turns.length === 0) {
  console.log('skipped: no agent turns in the corpus');
  process.exit(0);
}
const drafts = Array.from({ length: count }, (_, i) => turns[i % turns.length]);
const bodies = drafts.map((text) => JSON.stringify({ text }));
log(`${turns.length} agent turns; sending ${count} drafts at concurrency ${levels.join(', ')}`);

// The server, on any free port.
const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
let serverErr = '';
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (d) => {
    serverErr += d;
    const m = /listening on (http:\/\/\S+)/.exec(serverErr);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${serverErr}`)));
});
const { hostname, port } = new URL(url);

function rssMB() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function post(agent, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ hostname, port, path: '/v1/lint', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
        else resolve({ ms, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Send every draft, `clients` at a time, each client on its own keep-alive connection. */
async function run(clients, { keep = false } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies = new Float64Array(count);
  const kept = keep ? new Array(count) : undefined;
  const rss = [];
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const r = await post(agent, bodies[i]);
      latencies[i] = r.ms;
      if (kept) kept[i] = r.body;
      done++;
      if (done % 1000 === 0) rss.push(rssMB());
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const wall = performance.now() - t0;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { clients, wallMs: wall, perSec: count / (wall / 1000), p50: pct(50), p90: pct(90), p99: pct(99), max: sorted[sorted.length - 1], rss, kept };
}

// Warm-up (not measured): the first requests build caches and let V8 optimise.
{
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  for (let i = 0; i < Math.min(500, count); i++) await post(agent, bodies[i]);
  agent.destroy();
}
const rssStart = rssMB();
const results = [];
for (const clients of levels) {
  log(`${clients} client${clients === 1 ? '' : 's'}…`);
  results.push(await run(clients, { keep: results.length === 0 }));
}
const rssEnd = rssMB();

// Findings: the server's against `huashu lint --format json` on the same drafts as files.
log(`checking ${checkCount} drafts against huashu lint --format json…`);
const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-serve-'));
let mismatches = 0;
let findings = 0;
let firstMismatch;
try {
  const width = String(checkCount).length;
  const name = (i) => `d${String(i).padStart(width, '0')}.txt`;
  for (let i = 0; i < checkCount; i++) writeFileSync(join(dir, name(i)), drafts[i]);
  const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', '--no-ignore', dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`lint: exit ${r.status}: ${r.stderr.slice(0, 500)}`);
  const byName = new Map(JSON.parse(r.stdout).files.map((f) => [f.path.split(/[\\/]/).pop(), f.findings]));
  for (let i = 0; i < checkCount; i++) {
    const expected = JSON.stringify(byName.get(name(i)));
    const got = JSON.stringify(JSON.parse(results[0].kept[i]).findings);
    findings += JSON.parse(got).length;
    if (expected !== got) {
      mismatches++;
      firstMismatch ??= { draft: i, expected, got };
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

server.kill('SIGTERM');
const exitCode = await new Promise((resolve) => server.on('exit', (code) => resolve(code)));

const summary = {
  date: new Date().toISOString(),
  node: process.version,
  load: loadAverage(),
  drafts: count,
  runs: results.map(({ kept, ...r }) => r),
  rssMB: { afterWarmUp: rssStart, end: rssEnd },
  check: { drafts: checkCount, findings, mismatches, firstMismatch },
  serverExit: exitCode,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(summary, null, 2));
else {
  const f = (x, d = 1) => x.toFixed(d);
  console.log(`huashu serve: ${count} agent turns per run over loopback (POST /v1/lint, keep-alive), load ${summary.load}`);
  console.log(
    table(
      ['clients', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'RSS 1st 1000 MB', 'RSS last 1000 MB', 'change'],
      results.map((r) => [r.clients, f(r.perSec, 0), f(r.p50, 2), f(r.p90, 2), f(r.p99, 2), f(r.max, 1), f(r.rss[0]), f(r.rss[r.rss.length - 1]), `${f((100 * (r.rss[r.rss.length - 1] - r.rss[0])) / r.rss[0])}%`]),
    ),
  );
  const all = results.flatMap((r) => r.rss);
  console.log(`RSS over the whole bench: ${f(all[0])} MB after the first thousand, ${f(all[all.length - 1])} MB after the last (${f((100 * (all[all.length - 1] - all[0])) / all[0])}%)`);
  console.log(`findings: ${checkCount} drafts checked against lint --format json, ${findings} findings, ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}`);
  if (firstMismatch) console.log(`first mismatch (draft ${firstMismatch.draft}):\n  lint:  ${firstMismatch.expected.slice(0, 400)}\n  serve: ${firstMismatch.got.slice(0, 400)}`);
  console.log(`server exit code after SIGTERM: ${exitCode}`);
}
process.exitCode = mismatches > 0 || exitCode !== 0 ? 1 : 0;
