// Machine-readable output, versioned (README.md § JSON output). Bump `version` on any incompatible change.
// Written piece by piece, a finding at a time, as JSON.stringify(report, null, 2) would print it whole.
import { summarize, indentJson, joined, type ChunkFormatter, type FileResult } from './types.js';

export const JSON_FORMAT_VERSION = 1;

export const jsonChunks: ChunkFormatter = function* (files: readonly FileResult[]) {
  yield `{\n  "version": ${JSON_FORMAT_VERSION},\n  "files": [`;
  let firstFile = true;
  for (const f of files) {
    yield `${firstFile ? '' : ','}\n    {\n      "path": ${JSON.stringify(f.path)},\n      "findings": [`;
    firstFile = false;
    let first = true;
    for (const finding of f.findings) {
      yield `${first ? '' : ','}\n        ${indentJson(JSON.stringify(finding, null, 2), 8)}`;
      first = false;
    }
    yield f.findings.length > 0 ? '\n      ]' : ']';
    if (f.error !== undefined) yield `,\n      "error": ${JSON.stringify(f.error)}`;
    yield '\n    }';
  }
  yield files.length > 0 ? '\n  ]' : ']';
  yield `,\n  "summary": ${indentJson(JSON.stringify(summarize(files), null, 2), 2)}\n}\n`;
};

export const formatJson = joined(jsonChunks);
