// Where batches are linted: `--jobs N` threads lint, the main thread being one of them, so N - 1 are
// worker threads of a piscina pool (each loads the rules and the segmenter once). A batch goes to the
// pool while a worker has room for it, otherwise the main thread lints it between reading batches.
// This keeps N threads busy on N cores without a thread (and a dictionary in memory) to spare.
// Results come back per batch as columns (records.ts packResults); the caller keeps them in input order.
import { fileURLToPath } from 'node:url';
import type { LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { createTaskRunner, unpackResults, type AuditTask, type PackedResults, type RowResult, type TaskExtras } from './records.js';

export interface WorkerConfig extends TaskExtras {
  packs: string[];
  /** The config file the main thread's rules come from; null: none (the defaults). */
  configFile?: string | null;
  lintOptions: LintOptions;
}

export interface BatchRunner {
  run(task: AuditTask): Promise<RowResult[]>;
  close(): Promise<void>;
  /** Worker threads besides the main thread. */
  workers: number;
}

/**
 * Batches queued per worker: posted to it at once, so it goes on to the next one by itself instead of
 * waiting for the main thread (busy with a batch of its own) to hand it over.
 */
export const PER_WORKER = 4;

/**
 * Each worker's heap: the young generation holds the batches in flight, the old one little more than the
 * rules. Bounded to keep a big export's memory down (unbounded: ~3% faster, 20–30 MB more; a 4 MB young
 * generation: a third more time collecting). See docs/performance.md.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };

/**
 * A batch holding more text than this (a row of megabytes: a pasted log, a whole export in one cell) is
 * linted by the main thread, whose heap has no such bound: in a worker it would exhaust the heap, and V8
 * ends the whole process when one allocation cannot be made, with no chance to hand the batch back.
 */
const MAX_WORKER_CHARS = 4 * 1024 * 1024;

function textLength(task: AuditTask): number {
  if (task.block) return task.block.bytes.length;
  let n = 0;
  for (const t of task.texts) n += t.length;
  return n;
}

export async function createBatchRunner(jobs: number, set: RuleSet, config: WorkerConfig): Promise<BatchRunner> {
  const runInline = createTaskRunner(set, config.lintOptions, config);
  const workers = Math.max(0, jobs - 1);
  if (workers === 0) return { run: async (task) => runInline(task), close: async () => {}, workers };
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    // dist/audit/worker.js, or dist/bundle/worker.js from the command line's bundle (its second entry).
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    workerData: config,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: PER_WORKER,
    resourceLimits: WORKER_HEAP,
  });
  // Until a worker has loaded the rules and the segmenter (~0.5 s), batches sent to it would only wait
  // there, holding up the results behind them: the main thread lints them itself meanwhile. An empty
  // task tells when.
  let ready = false;
  const loaded = pool.run(null).then(
    () => (ready = true),
    () => {},
  );
  let outstanding = 0;
  return {
    run(task) {
      if (!ready || outstanding >= workers * PER_WORKER || textLength(task) > MAX_WORKER_CHARS) return Promise.resolve(runInline(task));
      outstanding++;
      return (pool.run(task) as Promise<PackedResults>)
        .then(unpackResults, (e: unknown) => {
          // A worker that ran out of memory loses only its turn: the main thread has no such limit.
          if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return runInline(task);
          throw e;
        })
        .finally(() => outstanding--);
    },
    // Not while a worker is still loading: stopping a thread inside nodejieba's native calls (the
    // segmenter's load and word insertions) aborts the whole process. A short audit waits for it.
    close: async () => {
      await loaded;
      await pool.destroy();
    },
    workers,
  };
}
