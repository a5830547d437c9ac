// Start-up: `huashu lint draft.txt` on one short draft, Node start-up included. Medians of N runs of wall
// time and of CPU time (user + sys, from /usr/bin/time): on a shared, loaded machine wall time is noisy and
// CPU time is the steadier figure. Also peak RSS.
// With --instructions, each command also runs once under `valgrind --tool=callgrind`, which counts the
// instructions executed: the same count run after run whatever the neighbours do, so a change to start-up
// can be measured on a noisy host (it is ~50× slower: about a minute for all). Not quite the same: under
// callgrind's slowdown V8 sometimes finishes a major GC that a real run exits before (~80 M more), so
// --instructions=N counts N runs and shows the lowest and highest (docs/performance.md).
// Usage: node bench/startup.mjs [runs] [--json] [--instructions[=N]]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, hasTime, loadAverage, median, runTimed, table } from './lib.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const asJson = args.includes('--json');
const instructionArg = args.find((a) => a === '--instructions' || a.startsWith('--instructions='));
const instructions = instructionArg !== undefined;
const instructionRuns = Math.max(1, Number(instructionArg?.split('=')[1] ?? 1) || 1);

/** Instructions `node argv` executes (callgrind's total), or undefined without valgrind. */
function countInstructions(argv, dir) {
  const out = join(dir, 'callgrind.out');
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, ...argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  rmSync(out, { force: true });
  return m ? Number(m[1]) : undefined;
}

/** Lowest and highest of instructionRuns counts. */
function instructionCounts(argv, dir) {
  const counts = [];
  for (let i = 0; i < instructionRuns; i++) counts.push(countInstructions(argv, dir));
  if (counts.some((c) => c === undefined)) return { instructions: undefined };
  return { instructions: Math.min(...counts), instructionsMax: Math.max(...counts) };
}

export const DRAFTS = {
  'findings, traditional': '您好，非常抱歉讓您久等了。您的包裹一定會在明天送到，我保證。退款的部分我們這邊沒辦法處理，是您自己沒看清楚活動說明，都怪物流太慢了。',
  'findings, simplified': '您好，非常抱歉让您久等了。您的包裹一定会在明天送到，我保证。退款的部分我们这边没办法处理，是您自己没看清楚活动说明，都怪物流太慢了。',
  'clean': '您好，感謝您的耐心等待。我們已為您查詢物流資訊，預計在兩個工作日內送達，如有任何需要，歡迎隨時與我們聯繫，祝您生活愉快。',
};

export function startupRows(runs) {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-'));
  const rows = [];
  try {
    const cases = [['node -e 0 (floor)', null, ['-e', '0']]];
    for (const [name, text] of Object.entries(DRAFTS)) {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.txt`);
      writeFileSync(file, text);
      for (const format of ['json', 'stylish']) cases.push([`lint ${format}, ${name}`, text, [BIN, 'lint', file, '--format', format]]);
    }
    for (const [name, text, argv] of cases) {
      // Wall time from runs with nothing around them (perf and GNU time add ~30 ms to a run this short);
      // CPU time and peak RSS from as many runs under them, interleaved.
      const samples = [];
      const walls = [];
      for (let i = 0; i < runs; i++) {
        const bare = runTimed(process.execPath, argv, { bare: true });
        const s = runTimed(process.execPath, argv);
        if (s.status === 2 || bare.status === 2) throw new Error(`${name}: ${s.stderr || bare.stderr}`);
        walls.push(bare.wall);
        samples.push(s);
      }
      rows.push({
        command: name,
        chars: text ? [...text].length : 0,
        wallMs: median(walls),
        cpuMs: hasTime ? median(samples.map((s) => s.cpu)) : undefined,
        rssMB: hasTime ? median(samples.map((s) => s.rss)) : undefined,
        ...(instructions ? instructionCounts(argv, dir) : {}),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = startupRows(runs);
  if (asJson) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log(`huashu lint, one draft: medians of ${runs} runs (node ${process.version}, load ${loadAverage()})`);
    console.log(
      table(
        ['command', 'chars', 'wall ms', 'cpu ms', 'peak RSS MB', ...(instructions ? ['instructions (M)'] : [])],
        rows.map((r) => [r.command, r.chars || '', r.wallMs.toFixed(0), r.cpuMs?.toFixed(0) ?? '-', r.rssMB?.toFixed(0) ?? '-', ...(instructions ? [r.instructions ? (r.instructions / 1e6).toFixed(0) + (instructionRuns > 1 ? `–${(r.instructionsMax / 1e6).toFixed(0)}` : '') : '-'] : [])]),
      ),
    );
  }
}
