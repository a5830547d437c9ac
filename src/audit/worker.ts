// A worker thread of the audit pool (piscina): loads the rules once, then parses, maps and lints
// batches of records sent by the main thread.
import { workerData } from 'node:worker_threads';
import { loadRules } from '../rules/load.js';
import { createTaskRunner, packResults, type AuditTask, type PackedResults } from './records.js';
import type { WorkerConfig } from './pool.js';

const config = workerData as WorkerConfig;
const runTask = createTaskRunner(await loadRules({ packs: config.packs }), config.lintOptions);

export default function auditBatch(task: AuditTask): PackedResults {
  return packResults(runTask(task));
}
