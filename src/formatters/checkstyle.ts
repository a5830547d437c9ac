// Checkstyle XML, which reviewdog, Jenkins (Warnings NG) and many CI tools read: per file its findings as
// <error line column severity message source>. A file that could not be linted gets one error at 1:1.
import { displayPath } from './paths.js';
import { isBinarySkip, type FileResult, type FormatOptions, type Formatter } from './types.js';
import { XML_DECLARATION, xmlAttribute as attr } from './xml.js';

export const formatCheckstyle: Formatter = (files: readonly FileResult[], options: FormatOptions = {}) => {
  const out = [XML_DECLARATION, '<checkstyle version="4.3">'];
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    const errors: string[] = [];
    if (file.error !== undefined) {
      const severity = isBinarySkip(file) ? 'warning' : 'error';
      errors.push(`    <error line="1" column="1" severity="${severity}" message="${attr(file.error)}" source="huashu.input"/>`);
    }
    for (const f of file.findings) {
      const suggestion = f.suggestions[0] ? ` → ${f.suggestions[0].text}` : '';
      errors.push(
        `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${attr(`${f.message} 「${f.excerpt}」${suggestion}`)}" source="${attr(`huashu.${f.ruleId}`)}"/>`,
      );
    }
    out.push(errors.length ? `  <file name="${attr(path)}">\n${errors.join('\n')}\n  </file>` : `  <file name="${attr(path)}"/>`);
  }
  out.push('</checkstyle>', '');
  return out.join('\n');
};
