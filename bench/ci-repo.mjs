// `huashu lint` over a generated repository of template files, as CI runs it: cold, and re-run with
// --cache when nothing changed. Usage: node bench/ci-repo.mjs [files=2000] [runs=3]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const count = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 3);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'huashu.js');
const fixtures = join(root, 'fixtures', 'macro-repo');
const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-repo-'));

// Real macros from the fixture repository, each copied with a number in it so that no two files are equal.
const sources = [
  'macros/refund-delay.md',
  'macros/shipping-cn.md',
  'macros/canned/warranty-hk.html',
  'macros/canned/welcome.html',
  'macros/zendesk/macros-export.json',
  'i18n/zh-CN.yaml',
  'i18n/zh-TW.yaml',
  'snippets/templates.json',
  'snippets/closing.txt',
  'macros/escalation-tw.txt',
].map((p) => ({ ext: p.slice(p.lastIndexOf('.')), text: readFileSync(join(fixtures, p), 'utf8') }));
let bytes = 0;
for (let i = 0; i < count; i++) {
  const { ext, text } = sources[i % sources.length];
  const file = join(dir, `team-${i % 20}`, `macro-${i}${ext}`);
  mkdirSync(dirname(file), { recursive: true });
  const body = text.replace('您好', `您好（#${i}）`);
  writeFileSync(file, body);
  bytes += Buffer.byteLength(body);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// CPU time (user + system) as well as wall time: on a busy machine the wall time mostly measures the others.
const timeBin = spawnSync('/usr/bin/time', ['-f', '%U %S', 'true']).status === 0;
const cpu = [];
function time(args) {
  const argv = [process.execPath, bin, 'lint', '--format', 'json', ...args, '.'];
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', ...argv], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status === 2) throw new Error(r.stderr);
  const [user, sys] = timeBin ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
  return { ms, cpu: (user + sys) * 1000, findings: JSON.parse(r.stdout).summary.findings };
}

const cache = join(dir, '.cache', 'huashu.json');
const cold = [];
const warm = [];
let findings = 0;
for (let k = 0; k < runs; k++) {
  rmSync(cache, { force: true });
  const first = time(['--cache', '--cache-location', cache]); // cold: lints everything, writes the cache
  cold.push(first);
  const again = time(['--cache', '--cache-location', cache]); // nothing changed
  warm.push(again);
  if (again.findings !== first.findings) throw new Error('the cached run reported different findings');
  findings = first.findings;
}
const plain = Array.from({ length: runs }, () => time([]));
const show = (xs) => {
  const wall = median(xs.map((x) => x.ms));
  const c = median(xs.map((x) => x.cpu));
  return { wall, cpu: c, text: `${wall.toFixed(0).padStart(6)} ms wall${Number.isNaN(c) ? '' : `, ${c.toFixed(0).padStart(5)} ms CPU`}` };
};
const [p, c, w] = [show(plain), show(cold), show(warm)];
console.log(`huashu lint over ${count} template files (${(bytes / 1e6).toFixed(1)} MB; md, html, json, yaml, txt), ${findings} findings, median of ${runs} (node ${process.version})`);
console.log(`  no cache                 ${p.text}`);
console.log(`  --cache, cold            ${c.text}`);
console.log(`  --cache, nothing changed ${w.text}   (${(c.wall / w.wall).toFixed(1)}× faster wall${Number.isNaN(w.cpu) ? '' : `, ${(c.cpu / w.cpu).toFixed(1)}× CPU`})`);
rmSync(dir, { recursive: true, force: true });
