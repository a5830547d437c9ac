// The terminal summary: the row ledger, findings per category and rule with the rate per 100 agent
// replies, top flagged phrases, the per-agent table and the per-day trend. Columns are aligned in
// terminal cells (a CJK character is two).
import type { ChalkInstance } from 'chalk';
import { cells, loadCellWidths } from '../formatters/stylish.js';
import { printable } from '../cli/printable.js';
import { TOP, type AuditSummary } from './aggregate.js';
import { thousands } from '../formatters/thousands.js';

const n = thousands;
const rate = (x: number) => x.toFixed(2);

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - cells(text)));
  return right ? fill + text : text + fill;
}

const NUMERIC = /^[\d,.]+$/;

/** A plain table: numeric columns right-aligned, text left-aligned. */
export function table(head: string[], rawRows: string[][], bold: (s: string) => string): string {
  // Cells come from the export (agent names, phrases, days): shown without their control characters.
  const rows = rawRows.map((r) => r.map(printable));
  const widths = head.map((h, i) => Math.max(cells(h), ...rows.map((r) => cells(r[i] ?? ''))));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? '')));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => pad(c, widths[i]!, numeric[i]!)).join('  ').trimEnd();
  return [bold(line(head)), ...rows.map(line)].join('\n');
}

export async function formatAuditTable(s: AuditSummary, chalk: ChalkInstance, elapsedSeconds?: number): Promise<string> {
  // The cells that come from the data (phrases, agents, rules, days) may need string-width to measure.
  await loadCellWidths([...s.topPhrases.map((p) => p.phrase.replace(/\s+/g, ' ')), ...s.byAgent.map((a) => a.agent), ...s.byRule.map((r) => r.rule), ...Object.keys(s.byCategory), ...s.byDay.map((d) => d.day), ...s.byTeam.map((t) => t.team), ...s.files.map((f) => f.file), ...(s.trend ? [...s.trend.byAgent, ...s.trend.byTeam, ...s.trend.byRule].map((c) => c.key) : [])], { asIs: true });
  const bold = (t: string) => chalk.bold(t);
  const out: string[] = [];
  const speed = elapsedSeconds && elapsedSeconds > 0 ? ` in ${elapsedSeconds.toFixed(1)} s (${n(Math.round(s.rows / elapsedSeconds))} rows/s)` : '';
  out.push(bold(`huashu audit: ${n(s.rows)} rows = ${n(s.audited)} audited + ${n(s.skipped)} skipped + ${n(s.errors)} errors${speed}`));
  const skipped = Object.entries(s.skippedBy).map(([k, v]) => `${k} ${n(v)}`);
  if (skipped.length) out.push(`  skipped: ${skipped.join(', ')}`);
  const others = Object.entries(s.otherRoles).map(([k, v]) => `'${printable(k)}' ${n(v)}`);
  if (others.length) out.push(`  roles neither agent nor customer: ${others.slice(0, 8).join(', ')}${others.length > 8 ? ', …' : ''} (see --agent-role, --customer-role)`);
  const errors = Object.entries(s.errorsBy).map(([k, v]) => `${k} ${n(v)}`);
  if (errors.length) out.push(chalk.red(`  errors: ${errors.join(', ')}`));
  out.push(
    `  ${n(s.audited)} agent replies audited: ${n(s.findings)} findings (warnings and errors; ${rate(s.rate)} per 100 replies), ${n(s.flaggedReplies)} replies flagged (${rate(s.audited ? (100 * s.flaggedReplies) / s.audited : 0)}%)`,
  );
  if (s.info.findings > 0) out.push(`  info, apart: ${n(s.info.findings)} findings (${rate(s.info.rate)} per 100 replies) in ${n(s.info.flaggedReplies)} replies`);
  const sc = s.scores;
  if (sc.conversations > 0) {
    out.push(
      `  scores: ${n(sc.conversations)} conversations, mean ${rate(sc.score)} of ${sc.model.base} (median ${rate(sc.median)}), ${n(sc.passed)} passed the mark of ${sc.model.pass} (${rate(sc.passRate)}%)${sc.fatal ? `, ${n(sc.fatal)} with a fatal finding` : ''}`,
    );
  }
  const noteFor = (section: string) => {
    for (const note of s.notes.filter((x) => x.section === section)) out.push(chalk.yellow(`  note: ${note.message}`));
  };
  noteFor('scores');
  if (s.trend) {
    const t = s.trend;
    out.push(`  since ${t.old.name}: findings ${t.old.rate.toFixed(2)} → ${t.new.rate.toFixed(2)} per 100 replies (${t.findings.deltaRate >= 0 ? '+' : '−'}${Math.abs(t.findings.deltaRate).toFixed(2)}${t.findings.significant ? ', significant' : ''})${t.score?.delta !== undefined ? `, score ${t.score.old!.toFixed(2)} → ${t.score.new!.toFixed(2)}` : ''}`);
    const moved = t.byRule.filter((r) => r.significant).slice(0, 5);
    if (moved.length) out.push(`    rules that moved most: ${moved.map((r) => `${r.key} ${r.deltaRate >= 0 ? '+' : '−'}${Math.abs(r.deltaRate).toFixed(2)}`).join(', ')} (huashu audit compare for more)`);
  }

  if (s.findings > 0) {
    const categories = Object.entries(s.byCategory);
    out.push('', table(['category', 'findings', 'per 100 replies'], categories.map(([c, k]) => [c, n(k), rate(s.audited ? (100 * k) / s.audited : 0)]), bold));
  }
  if (s.byRule.length > 0) {
    out.push('', table(['rule', 'severity', 'findings', 'per 100 replies'], s.byRule.slice(0, TOP).map((r) => [r.rule, r.severity, n(r.findings), rate(s.audited ? (100 * r.findings) / s.audited : 0)]), bold));
    if (s.byRule.length > TOP) out.push(`  … and ${s.byRule.length - TOP} more rules (see --summary)`);
  }
  if (s.topPhrases.length > 0) out.push('', table(['top flagged phrases', 'category', 'count'], s.topPhrases.slice(0, 10).map((p) => [p.phrase.replace(/\s+/g, ' '), p.category, n(p.count)]), bold));
  const scoreCells = (r: { score?: number; passRate?: number }) => (r.score === undefined ? ['-', '-'] : [rate(r.score), rate(r.passRate ?? 0)]);
  if (s.byAgent.length > 0) {
    out.push('', table(['agent', 'replies', 'findings', 'per 100', 'info', 'score', 'pass %', 'worst category'], s.byAgent.slice(0, TOP).map((a) => [a.agent, n(a.replies), n(a.findings), rate(a.rate), n(a.info), ...scoreCells(a), a.worstCategory ?? '-']), bold));
    if (s.byAgent.length > TOP) out.push(`  … and ${s.byAgent.length - TOP} more agents (see --summary)`);
  }
  if (s.byAgent.length === 0 && s.audited > 0) out.push('', bold('  agents'));
  noteFor('agents');
  if (s.byTeam.length > 0) {
    out.push('', table(['team', 'replies', 'findings', 'per 100', 'info', 'score', 'pass %', 'worst category'], s.byTeam.slice(0, TOP).map((a) => [a.team, n(a.replies), n(a.findings), rate(a.rate), n(a.info), ...scoreCells(a), a.worstCategory ?? '-']), bold));
    if (s.byTeam.length > TOP) out.push(`  … and ${s.byTeam.length - TOP} more teams (see --summary)`);
  }
  if (s.byTeam.length === 0 && s.audited > 0) out.push('', bold('  teams'));
  noteFor('teams');
  if (s.byDay.length > 0) {
    const days = s.byDay.length > 31 ? s.byDay.slice(-31) : s.byDay;
    out.push('', table(['day', 'replies', 'findings', 'per 100', 'info'], days.map((d) => [d.day, n(d.replies), n(d.findings), rate(d.rate), n(d.info)]), bold));
    if (s.byDay.length > 31) out.push(`  (the last 31 of ${s.byDay.length} days; see --summary)`);
  }
  if (s.byDay.length === 0 && s.audited > 0) out.push('', bold('  days'));
  noteFor('days');
  const files = s.files.filter((f) => f.findings !== undefined);
  if (files.length > 1) {
    out.push('', table(['file', 'replies', 'findings', 'per 100', 'info', 'score', 'pass %'], files.map((f) => [f.file, n(f.audited), n(f.findings ?? 0), rate(f.rate ?? 0), n(f.info ?? 0), ...scoreCells({ score: f.score?.score, passRate: f.score?.passRate })]), bold));
  }
  return out.join('\n') + '\n';
}
