// Where batches are linted. `--jobs 1`: in the main thread, between reading batches. `--jobs N` (N ≥ 2):
// in N worker threads of a piscina pool (each loads the rules and the segmenter once), while the main
// thread only reads, frames and consumes: it never lints, so it is always ready to hand a worker its next
// batch and to take results in (linting there too left both sides waiting on each other).
// Results come back per batch; the caller keeps them in input order (see run.ts).
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
  /** Worker threads (0: the main thread lints). */
  workers: number;
}

/**
 * Batches queued per worker: posted to it at once, so it goes on to the next one by itself instead of
 * waiting for the main thread to hand it over.
 */
export const PER_WORKER = 4;

export async function createBatchRunner(jobs: number, set: RuleSet, config: WorkerConfig): Promise<BatchRunner> {
  if (jobs <= 1) {
    const runInline = createTaskRunner(set, config.lintOptions);
    return { run: async (task) => runInline(task), close: async () => {}, workers: 0 };
  }
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    workerData: config,
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: PER_WORKER,
    // Batches are small and short-lived: a small young generation keeps each thread's memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  return {
    run: async (task) => unpackResults((await pool.run(task)) as PackedResults),
    close: () => pool.destroy(),
    workers: jobs,
  };
}
