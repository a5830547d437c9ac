// Checkstyle XML, which reviewdog, Jenkins (Warnings NG) and many CI tools read: per file its findings as
// <error line column severity message source>. A file that could not be linted gets one error at 1:1.
import { displayPath } from './paths.js';
import { isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';
import { XML_DECLARATION, xmlAttribute as attr } from './xml.js';

export const checkstyleChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  yield `${XML_DECLARATION}\n<checkstyle version="4.3">\n`;
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    if (file.error === undefined && file.findings.length === 0) {
      yield `  <file name="${attr(path)}"/>\n`;
      continue;
    }
    yield `  <file name="${attr(path)}">\n`;
    if (file.error !== undefined) {
      const severity = isBinarySkip(file) ? 'warning' : 'error';
      yield `    <error line="1" column="1" severity="${severity}" message="${attr(file.error)}" source="huashu.input"/>\n`;
    }
    for (const f of file.findings) {
      const suggestion = f.suggestions[0] ? ` → ${f.suggestions[0].text}` : '';
      yield `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${attr(`${f.message} 「${f.excerpt}」${suggestion}`)}" source="${attr(`huashu.${f.ruleId}`)}"/>\n`;
    }
    yield '  </file>\n';
  }
  yield '</checkstyle>\n';
};

export const formatCheckstyle = joined(checkstyleChunks);
