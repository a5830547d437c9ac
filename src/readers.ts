// What src/entry.ts loads on first use: the file readers (Markdown, HTML, JSON, YAML) and the YAML parsers
// of packs and configs — most of the library's code by size, and none of it needed to lint plain text.
export { parsePack } from './rules/parse.js';
export { parseConfig } from './config/parse.js';
export { lintDocument } from './inputs/lint-document.js';
export { extractSegments } from './inputs/formats.js';
