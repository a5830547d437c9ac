// Throughput on one core: `huashu lint big.txt --format json` on the corpus's agent turns (one per line,
// repeated to each size; written to a temporary folder, never into the project), against the ceiling:
// raw nodejieba `cut` of the same file in the same run (bench/jieba-cut.mjs, pinned to the same core).
// Also `huashu audit` on the same replies as JSON lines: --jobs 1 on the same core, --jobs 2 on two; and as
// CSV (most replies unquoted, every fourth quoted), --jobs 1.
// Wall and CPU medians, MB/s, peak RSS.
// Usage: node bench/throughput.mjs [--sizes 1,5,10] [--runs 3] [--json]   (after npm run build)
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, corpusText, hasCommand, loadAverage, mb, median, oneCore, runTimed, table, tmpFile } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

function measure(label, bytes, cmd, args, runs, { allCores = false } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const [c, a] = allCores ? [cmd, args] : oneCore(cmd, args);
    const s = runTimed(c, a);
    if (s.status !== 0 && s.status !== 1) throw new Error(`${label}: exit ${s.status}: ${s.stderr.slice(0, 500)}`);
    samples.push(s);
  }
  const wallMs = median(samples.map((s) => s.wall));
  const cpuMs = samples[0].cpu === undefined ? undefined : median(samples.map((s) => s.cpu));
  return {
    command: label,
    bytes,
    wallMs,
    cpuMs,
    mbPerSecWall: mb(bytes) / (wallMs / 1000),
    mbPerSecCpu: cpuMs === undefined ? undefined : mb(bytes) / (cpuMs / 1000),
    rssMB: samples[0].rss === undefined ? undefined : median(samples.map((s) => s.rss)),
  };
}

/** The ceiling: nodejieba cut of the same file, line by line and whole (its own timing, load excluded). */
function ceiling(file, bytes, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const [c, a] = oneCore(process.execPath, [join(ROOT, 'bench', 'jieba-cut.mjs'), file]);
    const s = runTimed(c, a, { keepStdout: true });
    if (s.status !== 0) throw new Error(`jieba-cut: ${s.stderr}`);
    samples.push(JSON.parse(s.stdout));
  }
  const row = (label, pick) => {
    const wallMs = median(samples.map((s) => pick(s).wallMs));
    const cpuMs = median(samples.map((s) => pick(s).cpuMs));
    return { command: label, bytes, wallMs, cpuMs, mbPerSecWall: mb(bytes) / (wallMs / 1000), mbPerSecCpu: mb(bytes) / (cpuMs / 1000), rssMB: median(samples.map((s) => s.peakRssMB)) };
  };
  return [row('nodejieba cut, line by line (ceiling)', (s) => s.lineByLine), row('nodejieba cut, whole text', (s) => s.wholeText)];
}

export function throughputRows({ sizes = [5], runs = 3, ceilingAt = 5 } = {}) {
  const rows = [];
  for (const size of sizes) {
    const text = corpusText(size * 1024 * 1024);
    if (!text) return rows; // no corpus: nothing to measure
    const { file, dir, bytes } = tmpFile('replies.txt', text);
    try {
      const n = size >= 100 ? 1 : runs;
      if (size === ceilingAt) rows.push(...ceiling(file, bytes, n));
      rows.push(measure('huashu lint --format json', bytes, process.execPath, [BIN, 'lint', file, '--format', 'json'], n));
      if (hasCommand('audit')) {
        // The same replies as an export (JSON lines, agent role); MB/s counts the replies' text, as above.
        const jsonl = join(dir, 'replies.jsonl');
        writeFileSync(jsonl, text.split('\n').filter(Boolean).map((t) => JSON.stringify({ role: 'agent', text: t })).join('\n') + '\n');
        rows.push(measure('huashu audit --jobs 1 (one core)', bytes, process.execPath, [BIN, 'audit', '--jobs', '1', '--format', 'json', jsonl], n));
        rows.push(measure('huashu audit --jobs 2 (two cores)', bytes, process.execPath, [BIN, 'audit', '--jobs', '2', '--format', 'json', jsonl], n, { allCores: true }));
        // And as a CSV export: plain rows, every fourth reply a quoted field (framing cost with and without quotes).
        const csv = join(dir, 'replies.csv');
        const csvRows = text.split('\n').filter(Boolean).map((t, i) => `agent,${i % 4 === 0 ? `"${t.replaceAll('"', '""')}"` : t.replaceAll(',', '，').replaceAll('"', '“')}`);
        writeFileSync(csv, 'role,text\n' + csvRows.join('\n') + '\n');
        rows.push(measure('huashu audit CSV --jobs 1 (one core)', bytes, process.execPath, [BIN, 'audit', '--jobs', '1', '--format', 'json', csv], n));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Ratios to the ceiling measured in the same run (same file size).
  const top = rows.find((r) => r.command.includes('(ceiling)'));
  for (const r of rows) if (top && r.bytes === top.bytes) Object.assign(r, { ceilingRatioWall: r.mbPerSecWall / top.mbPerSecWall, ceilingRatioCpu: r.mbPerSecCpu / top.mbPerSecCpu });
  return rows;
}

export function formatThroughput(rows) {
  const f = (x, d = 1) => (x === undefined ? '-' : x.toFixed(d));
  return table(
    ['command', 'input MB', 'wall ms', 'cpu ms', 'MB/s wall', 'MB/s cpu', 'peak RSS MB', '× ceiling (wall)', '× ceiling (cpu)'],
    rows.map((r) => [r.command, f(mb(r.bytes)), f(r.wallMs, 0), f(r.cpuMs, 0), f(r.mbPerSecWall, 2), f(r.mbPerSecCpu, 2), f(r.rssMB, 0), f(r.ceilingRatioWall, 2), f(r.ceilingRatioCpu, 2)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = arg('--sizes', '5').split(',').map(Number);
  const runs = Number(arg('--runs', '3'));
  const rows = throughputRows({ sizes, runs, ceilingAt: sizes.includes(5) ? 5 : sizes[0] });
  if (rows.length === 0) console.log('no corpus at ../shared/corpus: nothing to measure');
  else if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log(`throughput on one core (node ${process.version}, load ${loadAverage()}); huashu end to end, nodejieba cut time only`);
    console.log(formatThroughput(rows));
  }
}
