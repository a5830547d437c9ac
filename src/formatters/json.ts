// Machine-readable output, versioned (README.md § JSON output). Bump `version` on any incompatible change.
import type { FileResult, Formatter } from './types.js';
import { summarize } from './types.js';

export const JSON_FORMAT_VERSION = 1;

export const formatJson: Formatter = (files: readonly FileResult[]) => {
  const out = {
    version: JSON_FORMAT_VERSION,
    files: files.map((f) => ({ path: f.path, findings: f.findings, ...(f.error !== undefined ? { error: f.error } : {}) })),
    summary: summarize(files),
  };
  return JSON.stringify(out, null, 2) + '\n';
};
