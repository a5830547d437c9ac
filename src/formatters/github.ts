// GitHub Actions workflow commands: one annotation per finding on the pull request's diff,
//   ::error file=macros/refund.md,line=3,endLine=3,col=5,endColumn=7,title=huashu overpromise/guarantee::message
// error → ::error, warning → ::warning, info → ::notice. Escaped as the Actions runner reads them:
// in the message % \r \n; in the properties also : and ,.
import type { Finding } from '../engine/findings.js';
import type { Severity } from '../rules/types.js';
import { displayPath } from './paths.js';
import { isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';
import { citeText } from '../explain/sources.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

function message(f: Finding): string {
  const lines = [`${f.message} 「${f.excerpt}」`];
  for (const s of f.suggestions) lines.push(`→ ${s.text}${s.source ? ` (${citeText(s.source)})` : ''}`);
  return lines.join('\n');
}

export const githubChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    if (file.error !== undefined) {
      yield command(isBinarySkip(file) ? 'warning' : 'error', { file: path, title: 'huashu' }, file.error) + '\n';
      continue;
    }
    for (const f of file.findings) {
      const properties = { file: path, line: f.line, endLine: f.endLine, col: f.column, endColumn: f.endColumn, title: `huashu ${f.ruleId}` };
      yield command(COMMAND[f.severity], properties, message(f)) + '\n';
    }
  }
};

export const formatGithub = joined(githubChunks);
