// Importing the library: `import 'huashu'` (and `require('huashu')`) in a fresh Node process — wall time of
// the import itself, CPU time (user + sys) it took, and the process's resident set size right after. Median
// of N fresh processes each. Issue 17's bounds: ≤ 50 ms and ≤ 60 MB. Node's own start-up is not counted in
// the times (the `node:fs` row is that floor for RSS). On a loaded machine, CPU time is the steadier figure.
// Usage: node bench/import.mjs [runs] [--json]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAverage, median, ROOT, table } from './lib.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 11);
const asJson = args.includes('--json');

const probe = (load) => `
const c0 = process.cpuUsage(); const t0 = performance.now();
${load}
const t1 = performance.now(); const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wall: t1 - t0, cpu: (c.user + c.system) / 1000, rss: process.memoryUsage().rss / 1048576, ok: typeof lib.lint === 'function' || lib === 'floor' }));`;

const cases = [
  ['node:fs (floor)', 'mjs', `const lib = (await import('node:fs'), 'floor');`],
  ["import 'huashu'", 'mjs', `const lib = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'lib', 'index.js')).href)});`],
  ["require('huashu')", 'cjs', `const lib = require(${JSON.stringify(join(ROOT, 'dist', 'lib', 'index.js'))});`],
  ['import dist/index.js (unbundled)', 'mjs', `const lib = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)});`],
];

const rows = [];
for (const [name, kind, load] of cases) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const argv = kind === 'mjs' ? ['--input-type=module', '-e', probe(load)] : ['-e', probe(load)];
    const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    const s = JSON.parse(r.stdout);
    if (!s.ok) throw new Error(`${name}: the library did not load`);
    samples.push(s);
  }
  rows.push({ load: name, wallMs: median(samples.map((s) => s.wall)), cpuMs: median(samples.map((s) => s.cpu)), rssMB: median(samples.map((s) => s.rss)) });
}

if (asJson) console.log(JSON.stringify({ runs, loadAverage: loadAverage(), rows }, null, 2));
else {
  console.log(`Importing the library: median of ${runs} fresh processes each (load average ${loadAverage()})`);
  console.log(table(['load', 'wall ms', 'cpu ms', 'RSS MB'], rows.map((r) => [r.load, r.wallMs.toFixed(1), r.cpuMs.toFixed(1), r.rssMB.toFixed(1)])));
}
