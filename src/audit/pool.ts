// Where batches are linted: `--jobs N` threads lint, the main thread being one of them, so N - 1 are
// worker threads of a piscina pool (each loads the rules and the segmenter once). A batch goes to the
// pool while a worker has room for it, otherwise the main thread lints it between reading batches.
// This keeps N threads busy on N cores without a thread (and a dictionary in memory) to spare.
// Results come back per batch as columns (records.ts packResults); the caller keeps them in input order.
import { fileURLToPath } from 'node:url';
import type { LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { createTaskRunner, unpackResults, type AuditTask, type PackedResults, type RowResult } from './records.js';

export interface WorkerConfig {
  packs: string[];
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
 * Each worker's heap. The young generation holds a few batches in flight (smaller made the workers spend
 * a third more time collecting); the old generation only the rules. A batch too big for it (a row of
 * hundreds of megabytes) stops that worker, and the main thread lints the batch instead.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };

export async function createBatchRunner(jobs: number, set: RuleSet, config: WorkerConfig): Promise<BatchRunner> {
  const runInline = createTaskRunner(set, config.lintOptions);
  const workers = Math.max(0, jobs - 1);
  if (workers === 0) return { run: async (task) => runInline(task), close: async () => {}, workers };
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    workerData: config,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: PER_WORKER,
    resourceLimits: WORKER_HEAP,
  });
  let outstanding = 0;
  return {
    run(task) {
      if (outstanding >= workers * PER_WORKER) return Promise.resolve(runInline(task));
      outstanding++;
      return (pool.run(task) as Promise<PackedResults>)
        .then(unpackResults, (e: unknown) => {
          // A worker that ran out of memory (or died) loses only its turn: the main thread has no such limit.
          if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' || /terminated|exited/i.test(String((e as Error).message))) return runInline(task);
          throw e;
        })
        .finally(() => outstanding--);
    },
    close: () => pool.destroy(),
    workers,
  };
}
