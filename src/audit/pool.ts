// Where batches are linted: in the main thread (--jobs 1: no threads to feed) or in a piscina pool of
// worker threads, each loading the rules once. Results come back per batch; the caller keeps them in
// input order (see run.ts).
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
  /** Worker threads in use (0: the main thread lints). */
  threads: number;
}

export async function createBatchRunner(jobs: number, set: RuleSet, config: WorkerConfig): Promise<BatchRunner> {
  if (jobs <= 1) {
    const runTask = createTaskRunner(set, config.lintOptions);
    return { run: async (task) => runTask(task), close: async () => {}, threads: 0 };
  }
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    workerData: config,
    minThreads: jobs,
    maxThreads: jobs,
    // The caller bounds the batches in flight; threads stay up for the whole run.
    idleTimeout: 60_000,
  });
  return {
    run: (task) => pool.run(task) as Promise<RowResult[]>,
    close: () => pool.destroy(),
    threads: jobs,
  };
}
