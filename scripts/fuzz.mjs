#!/usr/bin/env node
// `npm run fuzz`: the property tests of test/fuzz.test.ts with a large budget, in parallel shards with
// different seeds. Usage: node scripts/fuzz.mjs [cases-per-property] [shards]
// Default: 1,000,000 cases of each property in total (the long-draft one runs 1/20 of that).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const total = Number(process.argv[2] ?? 1_000_000);
const shards = Number(process.argv[3] ?? Math.max(1, Math.min(availableParallelism(), 4)));
const baseSeed = Number(process.env.HUASHU_FUZZ_SEED ?? Date.now() % 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), 'huashu-fuzz-'));
const vitest = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');

function shard(i) {
  const report = join(dir, `shard-${i}.json`);
  const env = { ...process.env, HUASHU_FUZZ_RUNS: String(Math.ceil(total / shards)), HUASHU_FUZZ_SEED: String(baseSeed + i), HUASHU_FUZZ_REPORT: report };
  const child = spawn(process.execPath, [vitest, 'run', 'test/fuzz.test.ts', '--testTimeout=0', '--reporter=dot'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, report })));
}

const t0 = performance.now();
console.log(`huashu fuzz: ${total} cases per property in ${shards} shards, seeds ${baseSeed}…${baseSeed + shards - 1}`);
const results = await Promise.all(Array.from({ length: shards }, (_, i) => shard(i)));
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
const sums = {};
for (const r of results) {
  try {
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(r.report, 'utf8')).counts)) sums[k] = (sums[k] ?? 0) + v;
  } catch {
    // a shard that failed before writing its report: its failure is printed above
  }
}
rmSync(dir, { recursive: true, force: true });
const failed = results.filter((r) => r.code !== 0).length;
const cases = Object.entries(sums).filter(([k]) => k.endsWith(' cases')).reduce((n, [, v]) => n + v, 0);
for (const [k, v] of Object.entries(sums)) console.log(`  ${k.padEnd(20)} ${v.toLocaleString('en')}`);
console.log(`huashu fuzz: ${cases.toLocaleString('en')} cases in ${seconds} s, ${failed} failed shard${failed === 1 ? '' : 's'}`);
process.exitCode = failed ? 1 : 0;
