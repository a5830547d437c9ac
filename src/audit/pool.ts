// Where batches are linted: `--jobs N` threads lint, the main thread being one of them, so N - 1 are
// worker threads of a piscina pool (each loads the rules and the segmenter once). A batch goes to the
// pool while a worker has room for it, otherwise the main thread lints it between reading batches.
// This keeps N threads busy on N cores without a thread (and a dictionary in memory) to spare.
// Results come back per batch; the caller keeps them in input order (see run.ts).
import { fileURLToPath } from 'node:url';
import type { LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { createTaskRunner, type AuditTask, type RowResult } from './records.js';

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
 * Batches queued per worker. The main thread hears that a worker finished only between its own batches,
 * so a worker needs enough queued to stay busy while the main thread lints one.
 */
export const PER_WORKER = 4;

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
    // Post the queued batches to the worker right away: it then goes on to the next one by itself,
    // instead of waiting for the main thread to hand it over.
    concurrentTasksPerWorker: PER_WORKER,
    // Batches are small and short-lived: a small young generation keeps each thread's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  let outstanding = 0;
  return {
    run(task) {
      if (outstanding >= workers * PER_WORKER) return Promise.resolve(runInline(task));
      outstanding++;
      return (pool.run(task) as Promise<RowResult[]>).finally(() => outstanding--);
    },
    close: () => pool.destroy(),
    workers,
  };
}
