// A worker thread of the audit pool (piscina): loads the rules once, then parses, maps and lints
// batches of records sent by the main thread.
import { workerData } from 'node:worker_threads';
import { loadRules } from '../rules/load.js';
import { loadSegmenter } from '../segment/index.js';
import { createTaskRunner, packResults, type AuditTask, type PackedResults } from './records.js';
import type { WorkerConfig } from './pool.js';

const config = workerData as WorkerConfig;
// The same rules as the main thread: its config file (severities; `off` is in lintOptions.disable), or
// the built-in packs when there is none, plus the --rules packs.
const rules =
  config.configFile === undefined
    ? await loadRules({ packs: config.packs })
    : await (async () => {
        const { loadConfigFile, resolveConfig, rulesForConfig } = await import('../config/index.js');
        const resolved = config.configFile ? await loadConfigFile(config.configFile) : await resolveConfig(undefined);
        return (await rulesForConfig(resolved, config.packs)).set;
      })();
const runTask = createTaskRunner(rules, config.lintOptions, config);
// Ready means ready to lint at full speed: the segmenter is loaded before the first batch comes (the main
// thread sends none until this module has loaded, and its batches would otherwise wait behind the load).
loadSegmenter(rules.words);

/** A batch's results; null for null (the pool's way of asking whether the worker is ready). */
export default function auditBatch(task: AuditTask | null): PackedResults | null {
  return task === null ? null : packResults(runTask(task));
}
