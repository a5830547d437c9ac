// The Spark recipe (docs/spark.md) run on the shared corpus: examples/spark/audit_pipe.py with PySpark in
// local mode (local[2]), its result parts merged by `huashu audit merge`, compared with a single-machine
// `huashu audit` of the same file: rows, findings, every rule's count, and the summary as a whole.
//
// Usage: node bench/spark-audit.mjs [corpus file, default ../shared/corpus/stc3_weibo_helpdesk.jsonl]   (after npm run build)
// Needs Java and PySpark (pip install pyspark); says "skipped: …" and exits 0 without them or without
// the shared corpus (research data: read in place, never copied into the project).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? join(root, '..', 'shared', 'corpus', 'stc3_weibo_helpdesk.jsonl');
const skip = (why) => {
  console.log(`skipped: ${why}`);
  process.exit(0);
};
if (!existsSync(input)) skip(`${input} not found (the shared corpus)`);
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
if (java.error || java.status !== 0) skip('no Java runtime (java -version failed); Spark needs Java 8, 11 or 17');
const python = process.env.PYSPARK_PYTHON ?? 'python3';
const pyspark = spawnSync(python, ['-c', 'import pyspark; print(pyspark.__version__)'], { encoding: 'utf8' });
if (pyspark.status !== 0) skip(`PySpark is not installed for ${python} (pip install pyspark, or set PYSPARK_PYTHON)`);

const bin = join(root, 'bin', 'huashu.js');
const dir = mkdtempSync(join(tmpdir(), 'huashu-spark-'));
try {
  const out = join(dir, 'results');
  const huashu = `${process.execPath} ${bin}`;
  const t0 = performance.now();
  const spark = spawnSync(python, [join(root, 'examples', 'spark', 'audit_pipe.py'), input, out, '4', huashu], {
    encoding: 'utf8',
    env: { ...process.env, PYSPARK_SUBMIT_ARGS: '--master local[2] pyspark-shell' },
    maxBuffer: 64 << 20,
  });
  if (spark.status !== 0) throw new Error(`spark run failed (exit ${spark.status}):\n${spark.stderr.slice(-4000)}`);
  const sparkSeconds = (performance.now() - t0) / 1000;
  const parts = readdirSync(out).filter((f) => /^part-\d+$/.test(f)).sort().map((f) => join(out, f));
  const merged = spawnSync(process.execPath, [bin, 'audit', 'merge', ...parts, '--summary', join(dir, 'merged.json'), '-q', '--no-review-file'], { encoding: 'utf8' });
  if (merged.status === null || merged.status > 1) throw new Error(`merge failed: ${merged.stderr}`);
  const t1 = performance.now();
  const single = spawnSync(process.execPath, [bin, 'audit', basename(input), '--jobs', '2', '-q', '--no-review-file', '--summary', join(dir, 'single.json')], { cwd: dirname(input), encoding: 'utf8' });
  if (single.status === null || single.status > 1) throw new Error(`single audit failed: ${single.stderr}`);
  const singleSeconds = (performance.now() - t1) / 1000;
  const a = JSON.parse(readFileSync(join(dir, 'single.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
  const rules = (s) => Object.fromEntries(s.byRule.map((r) => [r.rule, r.findings]));
  const sameRules = JSON.stringify(rules(a)) === JSON.stringify(rules(b));
  console.log(`PySpark ${pyspark.stdout.trim()} local[2], ${parts.length} partitions of ${basename(input)}: ${sparkSeconds.toFixed(1)} s (single machine --jobs 2: ${singleSeconds.toFixed(1)} s)`);
  console.log(`rows       single ${a.rows}  merged ${b.rows}`);
  console.log(`findings   single ${a.findings}  merged ${b.findings}`);
  console.log(`per rule   ${sameRules ? 'identical' : 'DIFFERENT'}`);
  console.log(`summary    ${JSON.stringify(a) === JSON.stringify(b) ? 'identical, field for field' : 'differs (see the merge note on conversations cut between partitions)'}`);
  if (merged.stderr.trim()) console.log(merged.stderr.trim());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
