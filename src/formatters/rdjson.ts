// reviewdog's Diagnostic Format, as JSON (`rdjson`: `reviewdog -f=rdjson`): one DiagnosticResult with a
// diagnostic per finding, its range (1-based lines; columns in UTF-8 bytes, as the format counts them, end
// exclusive), rule code and URL, and the safe replacements as suggestions that reviewdog can post as
// GitHub suggested changes. A file that could not be linted is a diagnostic at its first line.
import type { Finding } from '../engine/findings.js';
import { safeReplacements } from '../edits/document.js';
import { LineIndex } from '../engine/position.js';
import type { Severity } from '../rules/types.js';
import { basePath } from './paths.js';
import { indentJson, isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';

const SEVERITY: Record<Severity, 'ERROR' | 'WARNING' | 'INFO'> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

/** rdjson's position of a UTF-16 offset: its line (1-based) and the UTF-8 bytes before it on that line, plus 1. */
export function rdPosition(lines: LineIndex, text: string, offset: number): { line: number; column: number } {
  const line = lines.lineOf(offset);
  return { line: line + 1, column: Buffer.byteLength(text.slice(lines.lineStart(line), offset), 'utf8') + 1 };
}

function diagnostic(path: string, text: string, lines: LineIndex, edits: ReturnType<typeof safeReplacements>, f: Finding, options: FormatOptions) {
  const at = (offset: number) => rdPosition(lines, text, offset);
  const range = { start: at(f.offset), end: at(f.offset + f.length) };
  const url = options.helpUri?.(f.ruleId);
  const suggestions = edits(f).map((e) => ({ range: { start: at(e.start), end: at(e.end) }, text: e.text }));
  return {
    message: `${f.message} 「${f.excerpt}」`,
    location: { path: basePath(path, options.basePath, options.cwd), range },
    severity: SEVERITY[f.severity],
    code: { value: f.ruleId, ...(url ? { url } : {}) },
    ...(suggestions.length ? { suggestions } : {}),
  };
}

export const rdjsonChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  yield '{\n  "source": { "name": "huashu" },\n  "diagnostics": [';
  let first = true;
  const emit = (d: object) => {
    const out = `${first ? '' : ','}\n    ${indentJson(JSON.stringify(d, null, 2), 4)}`;
    first = false;
    return out;
  };
  for (const file of files) {
    if (file.error !== undefined) {
      yield emit({
        message: `${file.path}: ${file.error}`,
        location: { path: basePath(file.path, options.basePath, options.cwd), range: { start: { line: 1 } } },
        severity: isBinarySkip(file) ? 'WARNING' : 'ERROR',
        code: { value: 'input' },
      });
      continue;
    }
    if (file.findings.length === 0) continue;
    const text = file.text ?? '';
    const lines = new LineIndex(text);
    const edits = safeReplacements(file.path, text);
    for (const f of file.findings) yield emit(diagnostic(file.path, text, lines, edits, f, options));
  }
  yield `${first ? ']' : '\n  ]'}\n}\n`;
};

export const formatRdjson = joined(rdjsonChunks);
