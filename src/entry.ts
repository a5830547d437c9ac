// The package's entry ("exports" → dist/lib/index.js, a bundle of this module): the exports of src/index.ts,
// with the file readers and YAML parsers (./readers.ts, a bundle entry of its own) loaded on first call,
// synchronously — a require of an ES module, Node ≥ 20.19 / 22.12. `import 'huashu'` then compiles only
// what linting plain text needs: bench/import.mjs, docs/performance.md.
import { createRequire } from 'node:module';
import type * as Readers from './readers.js';

export * from './api.js';
export type { ConfigSpec } from './config/parse.js';
export type { DocumentLintOptions, DocumentResult } from './inputs/lint-document.js';
export type { ExtractOptions } from './inputs/formats.js';

let readers: typeof Readers | undefined;
const load = (): typeof Readers => (readers ??= createRequire(import.meta.url)('./readers.js') as typeof Readers);

export function parsePack(...args: Parameters<typeof Readers.parsePack>): ReturnType<typeof Readers.parsePack> {
  return load().parsePack(...args);
}
export function parseConfig(...args: Parameters<typeof Readers.parseConfig>): ReturnType<typeof Readers.parseConfig> {
  return load().parseConfig(...args);
}
export function lintDocument(...args: Parameters<typeof Readers.lintDocument>): ReturnType<typeof Readers.lintDocument> {
  return load().lintDocument(...args);
}
export function extractSegments(...args: Parameters<typeof Readers.extractSegments>): ReturnType<typeof Readers.extractSegments> {
  return load().extractSegments(...args);
}
