// npm run bench: every bench, one table. Start-up on one draft (bench/startup.mjs), throughput on one core
// against raw nodejieba cut (bench/throughput.mjs), and huashu next to textlint + prh when
// `npm run bench:textlint` has installed it (bench/side-by-side.mjs). Not part of npm test.
// Usage: node bench/index.mjs [--sizes 5,10] [--runs 3] [--startup-runs 15] [--json]   (after npm run build)
import { loadAverage, mb, table } from './lib.mjs';
import { startupRows } from './startup.mjs';
import { formatThroughput, throughputRows } from './throughput.mjs';
import { formatSideBySide, hasTextlint, sideBySide } from './side-by-side.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('--sizes', '5').split(',').map(Number);
const runs = Number(arg('--runs', '3'));
const log = (s) => process.stderr.write(`bench: ${s}\n`);

log('start-up…');
const startup = startupRows(Number(arg('--startup-runs', '15')));
log('throughput…');
const throughput = throughputRows({ sizes, runs, ceilingAt: sizes[0] });
let side;
if (hasTextlint()) {
  log('side by side with textlint + prh…');
  side = await sideBySide({ megabytes: sizes[0], runs });
} else log('textlint not installed (npm run bench:textlint): side by side skipped');

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, load: loadAverage(), startup, throughput, sideBySide: side }, null, 2));
} else {
  const f = (x, d = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  const textlintWall = side?.corpus.textlint.wallMs;
  const rows = [
    ...startup.map((r) => [r.command, r.chars ? `${r.chars} chars` : '-', f(r.wallMs), f(r.cpuMs), '-', f(r.rssMB), '-', '-']),
    ...throughput.map((r) => [r.command, `${f(mb(r.bytes), 1)} MB`, f(r.wallMs), f(r.cpuMs), f(r.mbPerSecWall, 2), f(r.rssMB), f(r.ceilingRatioWall, 2), '-']),
  ];
  if (side) {
    const c = side.corpus;
    const size = `${f(mb(c.bytes), 1)} MB`;
    rows.push(['textlint + textlint-rule-prh', size, f(c.textlint.wallMs), f(c.textlint.cpuMs), f(mb(c.bytes) / (c.textlint.wallMs / 1000), 2), f(c.textlint.rssMB), '-', '1.00']);
    rows.push(['huashu lint (same file)', size, f(c.huashu.wallMs), f(c.huashu.cpuMs), f(mb(c.bytes) / (c.huashu.wallMs / 1000), 2), f(c.huashu.rssMB), '-', f(textlintWall / c.huashu.wallMs, 2) + '× faster']);
  }
  console.log(`huashu benches — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, load ${loadAverage()} (medians; wall time is noisy on a shared machine, CPU time steadier)`);
  console.log(table(['command', 'input', 'wall ms', 'cpu ms', 'MB/s', 'peak RSS MB', '× ceiling', 'vs textlint+prh'], rows));
  console.log('\nthroughput detail (ceiling: nodejieba cut of the same file, cut time only; huashu end to end):');
  console.log(formatThroughput(throughput));
  if (side) console.log('\n' + formatSideBySide(side));
}
