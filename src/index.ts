// huashu's library API: the same engine the CLI runs. Importing it runs nothing (no top-level await), so
// `require('huashu')` works too. This module imports every part at once (the tests use it); the package's
// entry (src/entry.ts, bundled into dist/lib/) has the same exports and loads the file readers and the
// YAML parser only when first called.
export * from './api.js';
export { parsePack } from './rules/parse.js';
export { parseConfig, type ConfigSpec } from './config/parse.js';
export { lintDocument, type DocumentLintOptions, type DocumentResult } from './inputs/lint-document.js';
export { extractSegments, type ExtractOptions } from './inputs/formats.js';
