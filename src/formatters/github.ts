// GitHub Actions workflow commands: one annotation per finding on the pull request's diff,
//   ::error file=macros/refund.md,line=3,endLine=3,col=5,endColumn=7,title=huashu overpromise/guarantee::message
// error → ::error, warning → ::warning, info → ::notice. Escaped as the Actions runner reads them:
// in the message % \r \n; in the properties also : and ,. Errors come first, then warnings, then notices;
// beyond `maxAnnotations` (GitHub shows only so many per step) one notice says how many were left out.
// With $GITHUB_STEP_SUMMARY set, stepSummary() is a Markdown table of every finding for the job's page.
import type { Finding } from '../engine/findings.js';
import type { Severity } from '../rules/types.js';
import { basePath } from './paths.js';
import { isBinarySkip, joined, summarize, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';
import { citeText } from '../explain/sources.js';

/** Annotations shown by default: GitHub displays at most 10 errors and 10 warnings per step, 50 per job. */
export const DEFAULT_MAX_ANNOTATIONS = 50;

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
  const max = options.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS;
  // Counted per level first, so the annotations can be written level by level without holding them all.
  const counts = { error: 0, warning: 0, notice: 0 };
  const levelOf = (file: FileResult) => (isBinarySkip(file) ? 'warning' : 'error');
  for (const file of files) {
    if (file.error !== undefined) counts[levelOf(file)]++;
    for (const f of file.findings) counts[COMMAND[f.severity]]++;
  }
  const total = counts.error + counts.warning + counts.notice;
  let shown = 0;
  for (const level of ['error', 'warning', 'notice'] as const) {
    if (counts[level] === 0) continue;
    for (const file of files) {
      if (shown >= max) break;
      const path = basePath(file.path, options.basePath, options.cwd);
      if (file.error !== undefined) {
        if (levelOf(file) === level) {
          yield command(level, { file: path, title: 'huashu' }, file.error) + '\n';
          shown++;
        }
        continue;
      }
      for (const f of file.findings) {
        if (COMMAND[f.severity] !== level) continue;
        if (shown >= max) break;
        const properties = { file: path, line: f.line, endLine: f.endLine, col: f.column, endColumn: f.endColumn, title: `huashu ${f.ruleId}` };
        yield command(level, properties, message(f)) + '\n';
        shown++;
      }
    }
  }
  if (total > shown) {
    const left = { error: 0, warning: 0, notice: 0 };
    // What was left out, by level: the shown ones are the first errors, then warnings, then notices.
    let budget = shown;
    for (const level of ['error', 'warning', 'notice'] as const) {
      const taken = Math.min(budget, counts[level]);
      left[level] = counts[level] - taken;
      budget -= taken;
    }
    const parts = (['error', 'warning', 'notice'] as const).filter((l) => left[l] > 0).map((l) => `${left[l]} ${l}${left[l] === 1 ? '' : 's'}`);
    yield command('notice', { title: 'huashu' }, `${total - shown} more finding${total - shown === 1 ? '' : 's'} not shown as annotations (${parts.join(', ')}; at most ${max}, see --max-annotations): the step summary, or huashu lint --format sarif, lists them all`) + '\n';
  }
};

/** A Markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');

/** The job summary ($GITHUB_STEP_SUMMARY): totals and a table of every finding, errors first (capped at `maxRows`). */
export function* stepSummary(files: readonly FileResult[], options: FormatOptions & { maxRows?: number } = {}): Generator<string> {
  const summary = summarize(files);
  const maxRows = options.maxRows ?? 1000;
  yield `### huashu: ${summary.findings} finding${summary.findings === 1 ? '' : 's'} in ${summary.files} file${summary.files === 1 ? '' : 's'}\n\n`;
  yield `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}, ${summary.infos} info${summary.skipped ? `; ${summary.skipped} file${summary.skipped === 1 ? '' : 's'} not linted` : ''}\n\n`;
  if (summary.findings === 0 && summary.skipped === 0) return;
  yield '| Severity | File | Line | Rule | Message | Flagged |\n|---|---|---|---|---|---|\n';
  let rows = 0;
  for (const level of ['error', 'warning', 'info'] as const) {
    for (const file of files) {
      const path = basePath(file.path, options.basePath, options.cwd);
      if (file.error !== undefined && (isBinarySkip(file) ? 'warning' : 'error') === level) {
        if (rows++ < maxRows) yield `| ${level} | \`${cell(path)}\` | | | ${cell(file.error)} | |\n`;
      }
      for (const f of file.findings) {
        if (f.severity !== level) continue;
        if (rows++ < maxRows) yield `| ${level} | \`${cell(path)}\` | ${f.line} | \`${f.ruleId}\` | ${cell(f.message)} | ${cell(f.excerpt)} |\n`;
      }
    }
  }
  if (rows > maxRows) yield `\n${rows - maxRows} more not listed.\n`;
  yield '\n';
}

export const formatGithub = joined(githubChunks);
