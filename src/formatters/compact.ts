// One line per finding, as compilers print them and editors' quickfix lists read them (Vim's errorformat
// `%f:%l:%c: %m`, Emacs compilation mode):
//   macros/refund.md:3:5: error 避免絕對保證… [overpromise/guarantee]
// Columns are Unicode code points, as in every huashu format. A file that could not be linted: one line at 1:1.
import { displayPath } from './paths.js';
import { isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';

/** Messages are one line: a line break would start a new entry for the reader. */
const oneLine = (s: string) => s.replace(/\r\n|\r|\n/g, ' ');

export const compactChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    if (file.error !== undefined) {
      yield `${path}:1:1: ${isBinarySkip(file) ? 'warning' : 'error'} ${oneLine(file.error)} [input]\n`;
      continue;
    }
    for (const f of file.findings) yield `${path}:${f.line}:${f.column}: ${f.severity} ${oneLine(f.message)} 「${oneLine(f.excerpt)}」 [${f.ruleId}]\n`;
  }
};

export const formatCompact = joined(compactChunks);
