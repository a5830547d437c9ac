// `huashu fix` on one file of N lines of 「关于您的投诉，我们已经收到。您的问题我们会处理。」 (two safe fixes a
// line: 投诉 → 反馈, 问题 → 情况), for N = 5k, 10k, 20k, 100k. The time per 1,000 lines should stay flat:
// fixing used to be quadratic in the number of fixes (1.9 / 7.1 / 23.7 s for 5k / 10k / 20k lines).
// Each run rewrites a fresh copy of the file; the result is checked.
// Usage: node bench/fix.mjs [runs] [--sizes 5000,10000,20000,100000] [--json]   (after npm run build)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BIN, hasTime, loadAverage, median, runTimed, table, tmpFile } from './lib.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [5000, 10000, 20000, 100000];
const asJson = args.includes('--json');

const LINE = '关于您的投诉，我们已经收到。您的问题我们会处理。\n';
const FIXED = '关于您的反馈，我们已经收到。您的情况我们会处理。\n';

const rows = [];
for (const lines of sizes) {
  const { file, dir } = tmpFile('replies.txt', LINE.repeat(lines));
  try {
    const walls = [];
    const cpus = [];
    const rsss = [];
    for (let i = 0; i < runs; i++) {
      writeFileSync(file, LINE.repeat(lines));
      const r = runTimed(process.execPath, [BIN, 'fix', file], { keepStdout: true });
      if (r.status !== 0) throw new Error(`huashu fix exited ${r.status}: ${r.stderr}`);
      if (readFileSync(file, 'utf8') !== FIXED.repeat(lines)) throw new Error(`${lines} lines: the file is not fixed as expected`);
      walls.push(r.wall);
      if (r.cpu !== undefined) cpus.push(r.cpu);
      if (r.rss !== undefined) rsss.push(r.rss);
    }
    const wall = median(walls);
    rows.push({ lines, fixes: 2 * lines, wall, cpu: cpus.length ? median(cpus) : undefined, rss: rsss.length ? median(rsss) : undefined });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (asJson) console.log(JSON.stringify({ runs, load: loadAverage(), rows }, null, 2));
else {
  const s = (ms) => (ms === undefined ? 'n/a' : (ms / 1000).toFixed(2));
  console.log(`huashu fix, median of ${runs} run${runs === 1 ? '' : 's'} (load ${loadAverage()})${hasTime ? '' : '; no /usr/bin/time: wall time only'}`);
  console.log(
    table(
      ['lines', 'fixes', 'wall s', 'CPU s', 'CPU ms / 1k lines', 'peak RSS MB'],
      rows.map((r) => [r.lines.toLocaleString('en'), r.fixes.toLocaleString('en'), s(r.wall), s(r.cpu), r.cpu === undefined ? 'n/a' : ((r.cpu / r.lines) * 1000).toFixed(0), r.rss === undefined ? 'n/a' : r.rss.toFixed(0)]),
    ),
  );
}
