// Wall time of `huashu lint` on one short draft, Node start-up included (median of N runs).
// Usage: node bench/startup.mjs [runs]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'huashu.js');
const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-'));
const drafts = {
  'with findings (traditional)': '您好，非常抱歉讓您久等了。您的包裹一定會在明天送到，我保證。退款的部分我們這邊沒辦法處理，是您自己沒看清楚活動說明，都怪物流太慢了。',
  'clean (no candidate phrase)': '您好，感謝您的耐心等待。我們已為您查詢物流資訊，預計在兩個工作日內送達，如有任何需要，歡迎隨時與我們聯繫，祝您生活愉快。',
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timeBin = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
console.log(`huashu lint, one draft, ${runs} runs each (node ${process.version})`);
for (const [name, text] of Object.entries(drafts)) {
  const file = join(dir, 'draft.txt');
  writeFileSync(file, text);
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = timeBin
      ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'lint', file, '--format', 'json'], { encoding: 'utf8' })
      : spawnSync(process.execPath, [bin, 'lint', file, '--format', 'json'], { encoding: 'utf8' });
    walls.push(performance.now() - t0);
    if (timeBin) rss.push(Number(r.stderr.trim().split('\n').pop()) / 1024);
    if (r.status === 2) throw new Error(r.stderr);
  }
  console.log(`${name.padEnd(30)} ${[...text].length} chars  median ${median(walls).toFixed(0)} ms${rss.length ? `  peak RSS ${median(rss).toFixed(0)} MB` : ''}`);
}
