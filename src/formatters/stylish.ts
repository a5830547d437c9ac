// Human-readable output for a terminal: per file a header, per finding its position, severity, message and
// rule, the draft's line with the span underlined (aligned in terminal cells: a CJK character is two), and
// the suggested wording. A summary line at the end.
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import type { Finding } from '../engine/findings.js';
import type { Severity } from '../rules/types.js';
import { summarize, type FileResult, type FormatOptions, type Formatter, type Summary } from './types.js';

/** Lines wider than this many terminal cells are cut short ('...') around the span. */
export const LINE_CELLS = 100;
const ELLIPSIS = '...'; // ASCII: '…' is of ambiguous width and two cells wide on some CJK terminals

/** Characters that would move the cursor or change the terminal: shown as one space each. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (s: string) => s.replace(CONTROL, ' ');

/** Terminal cells a string takes (CJK and full-width characters two, combining marks none). */
export const cells = (s: string): number => stringWidth(s);

export interface Underlined {
  /** The line as shown (control characters blanked, cut short with '...' around a long line). */
  line: string;
  /** Spaces then carets, the carets under the span. */
  carets: string;
}

/** Keep the last (or first) `max` cells of `s`, with '...' where it was cut. */
function clip(s: string, max: number, keepEnd: boolean): string {
  if (cells(s) <= max) return s;
  const chars = Array.from(s);
  let kept = '';
  let width = 0;
  const room = max - ELLIPSIS.length;
  if (keepEnd) {
    for (let i = chars.length - 1; i >= 0; i--) {
      const w = cells(chars[i]!);
      if (width + w > room) break;
      kept = chars[i]! + kept;
      width += w;
    }
    return ELLIPSIS + kept;
  }
  for (const ch of chars) {
    const w = cells(ch);
    if (width + w > room) break;
    kept += ch;
    width += w;
  }
  return kept + ELLIPSIS;
}

/**
 * The line holding [offset, offset + length) of `text`, and a caret line underlining that span. A span that
 * runs past its line is underlined to the line's end. A line wider than `width` cells is cut short on
 * either side of the span, sharing the room between the two sides.
 */
export function underline(text: string, offset: number, length: number, width = LINE_CELLS): Underlined {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  const spanEnd = Math.min(offset + length, end);
  let before = clean(text.slice(start, offset));
  const span = clean(text.slice(offset, spanEnd));
  let after = clean(text.slice(spanEnd, end));
  const room = Math.max(0, width - cells(span));
  const [wb, wa] = [cells(before), cells(after)];
  if (wb + wa > room) {
    const half = Math.floor(room / 2);
    const forBefore = wa < half ? room - wa : Math.max(half, room - wa);
    const keepBefore = Math.max(ELLIPSIS.length + 2, Math.min(wb, forBefore));
    before = clip(before, keepBefore, true);
    after = clip(after, Math.max(ELLIPSIS.length + 2, room - cells(before)), false);
  }
  return { line: before + span + after, carets: ' '.repeat(cells(before)) + '^'.repeat(Math.max(1, cells(span))) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryLine(s: Summary): string {
  return `${plural(s.findings, 'problem', 'problems')} (${plural(s.errors, 'error', 'errors')}, ${plural(s.warnings, 'warning', 'warnings')}, ${s.infos} info)`;
}

function severityColor(c: ChalkInstance, severity: Severity): ChalkInstance {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}

function formatFinding(c: ChalkInstance, f: Finding, text: string | undefined, positionWidth: number): string[] {
  const color = severityColor(c, f.severity);
  const position = `${f.line}:${f.column}`.padEnd(positionWidth);
  const out = [`  ${c.dim(position)}  ${color(f.severity.padEnd(7))}  ${clean(f.message)}  ${c.dim(f.ruleId)}`];
  if (text !== undefined) {
    const u = underline(text, f.offset, f.length);
    out.push(`    ${u.line}`, `    ${color(u.carets)}`);
  }
  for (const s of f.suggestions) {
    const source = s.source ? `  ${c.dim(`(${s.source.doc} § ${s.source.section})`)}` : '';
    out.push(`    ${c.green('→')} ${clean(s.text)}${source}`);
  }
  return out;
}

export const formatStylish: Formatter = (files: readonly FileResult[], options: FormatOptions = {}) => {
  const c = new Chalk({ level: options.color ? Math.max(chalk.level, 1) as 1 | 2 | 3 : 0 });
  const summary = summarize(files);
  if (options.quiet && summary.findings === 0) return '';
  const lines: string[] = [];
  for (const file of files) {
    if (file.findings.length === 0) continue;
    lines.push(c.underline(file.path));
    const positionWidth = Math.max(...file.findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of file.findings) lines.push(...formatFinding(c, f, file.text, positionWidth));
    lines.push('');
  }
  const notLinted = summary.skipped > 0 ? `; ${plural(summary.skipped, 'file', 'files')} not linted` : '';
  if (summary.findings > 0) {
    const color = summary.errors > 0 ? c.red.bold : summary.warnings > 0 ? c.yellow.bold : c.blue.bold;
    lines.push(color(`✖ ${summaryLine(summary)}`) + notLinted);
  } else {
    const linted = summary.files - summary.skipped;
    lines.push((summary.skipped > 0 ? c.yellow : c.green)(`✔ no problems`) + ` (${plural(linted, 'file', 'files')} linted)` + notLinted);
  }
  return lines.join('\n') + '\n';
};
