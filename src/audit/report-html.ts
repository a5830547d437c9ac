// The HTML report: one self-contained file (inline CSS, SVG charts drawn here, a few lines of JS to
// sort tables; nothing fetched), readable offline and safe to mail around. Every piece of text from
// the data is HTML-escaped.
import { TOP, type AuditSummary, type Example, type SectionNote } from './aggregate.js';
import type { Change } from './compare.js';
import { thousands } from '../formatters/thousands.js';

const COLORS: Record<string, string> = { overpromise: '#d9480f', negative: '#1971c2', blame: '#9c36b5' };
const OTHER_COLOR = '#2b8a3e';
/** Info findings (advice, counted apart) are drawn in grey. */
const INFO_COLOR = '#adb5bd';
export const colorOf = (category: string) => COLORS[category] ?? OTHER_COLOR;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const esc = escapeHtml;
const n = thousands;
const per100 = (k: number, of: number) => (of === 0 ? 0 : (100 * k) / of);

interface Bar {
  label: string;
  value: number;
  color: string;
  /** Shown after the bar instead of the value. */
  text?: string;
}

/** Width of a text at the charts' 12 px: wide (CJK, full-width) characters 12.5 px, others 7 px (a little more than most fonts). */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 12.5 : 7;
  return w;
}

/** `text` cut to at most `max` px, with … where it was cut. */
export function fitText(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(out + ch) > max - 12) break;
    out += ch;
  }
  return out + '…';
}

const LABEL_MAX = 300;

/** A horizontal bar chart as inline SVG. The label column is as wide as its longest label (up to LABEL_MAX px): no label is cut at the left. */
function barChart(title: string, bars: readonly Bar[], id: string): string {
  if (bars.length === 0) return '';
  const rowH = 24;
  const labels = bars.map((b) => fitText(b.label, LABEL_MAX));
  const labelW = Math.ceil(Math.max(60, ...labels.map(textWidth)) + 14);
  const barW = 420;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const height = bars.length * rowH + 8;
  const rows = bars
    .map((b, i) => {
      const y = i * rowH + 4;
      const w = Math.max(1, Math.round((b.value / max) * barW));
      const label = labels[i]!;
      return (
        `<g><title>${esc(b.label)}: ${esc(b.text ?? n(b.value))}</title>` +
        `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(label)}</text>` +
        `<rect class="bar" x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" rx="2" fill="${b.color}"/>` +
        `<text x="${labelW + w + 6}" y="${y + 16}">${esc(b.text ?? n(b.value))}</text></g>`
      );
    })
    .join('');
  return `<figure class="chart" id="${id}"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${labelW + barW + 90} ${height}" width="${labelW + barW + 90}" height="${height}">${rows}</svg></figure>`;
}

/** Findings per 100 replies per day, as an SVG line with dots. */
function trendChart(s: AuditSummary): string {
  const days = s.byDay;
  if (days.length === 0) return '';
  const w = 740;
  const h = 250;
  // Day labels are turned 45°: one every `every` days, spaced at least 16 px apart, so they never overlap.
  const pad = { l: 64, r: 44, t: 14, b: 74 };
  const max = Math.max(...days.map((d) => d.rate), 1);
  const x = (i: number) => pad.l + (days.length === 1 ? (w - pad.l - pad.r) / 2 : (i * (w - pad.l - pad.r)) / (days.length - 1));
  const y = (v: number) => pad.t + (1 - v / max) * (h - pad.t - pad.b);
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.rate).toFixed(1)}`).join(' ');
  const step = days.length > 1 ? (w - pad.l - pad.r) / (days.length - 1) : Infinity;
  const every = Math.max(1, Math.ceil(16 / step));
  const labels = days
    .map((d, i) =>
      i % every === 0
        ? `<text class="day" x="${x(i).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="end" transform="rotate(-45 ${x(i).toFixed(1)} ${h - pad.b + 14})">${esc(d.day)}</text>`
        : '',
    )
    .join('');
  const dots = days
    .map((d, i) => `<circle class="dot" cx="${x(i).toFixed(1)}" cy="${y(d.rate).toFixed(1)}" r="3.5" fill="#d9480f"><title>${esc(d.day)}: ${d.rate.toFixed(2)} per 100 (${n(d.findings)} in ${n(d.replies)} replies)</title></circle>`)
    .join('');
  const axis = `<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#adb5bd"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#adb5bd"/>`;
  const ticks = [0, max / 2, max].map((v) => `<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`).join('');
  return `<figure class="chart" id="chart-trend"><figcaption>Findings per 100 replies, per day</figcaption><svg role="img" aria-label="trend" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${axis}${ticks}<polyline class="line" points="${points}" fill="none" stroke="#d9480f" stroke-width="2.5"/>${dots}${labels}</svg></figure>`;
}

/** A table whose columns sort on a click; `data-v` holds the sort value of numeric cells. */
function sortableTable(head: readonly string[], rows: readonly (string | number)[][], id: string): string {
  const th = head.map((h, i) => `<th data-col="${i}">${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        '<tr>' +
        r.map((c) => (typeof c === 'number' ? `<td class="num" data-v="${c}">${Number.isInteger(c) ? n(c) : c.toFixed(2)}</td>` : `<td>${esc(c)}</td>`)).join('') +
        '</tr>',
    )
    .join('');
  return `<div class="table-wrap"><table class="sortable" id="${id}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function example(e: Example): string {
  const where = [e.file, `row ${e.row}`, e.conversation && `conversation ${e.conversation}`, e.turn && `turn ${e.turn}`, e.agent && `agent ${e.agent}`, e.team && `team ${e.team}`, e.time]
    .filter(Boolean)
    .map((t) => esc(String(t)))
    .join(' · ');
  return (
    `<div class="example"><div class="where">${where}</div>` +
    (e.customer !== undefined ? `<div class="customer"><span class="who">customer</span> ${esc(e.customer.length > 160 ? e.customer.slice(0, 160) + '…' : e.customer)}</div>` : '') +
    `<div class="reply"><span class="who">agent</span> ${esc(e.before)}<mark style="border-color:${colorOf(e.category)}">${esc(e.excerpt)}</mark>${esc(e.after)}</div>` +
    `<div class="message">${esc(e.message)}</div>` +
    (e.suggestion !== undefined ? `<div class="suggestion">→ ${esc(e.suggestion)}</div>` : '') +
    `</div>`
  );
}

const CSS = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#212529;background:#f8f9fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
.sub{color:#6c757d;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:#6c757d;font-size:12px}
.chart{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:10px;margin:0 0 14px;overflow-x:auto}
.chart figcaption{font-weight:600;margin-bottom:6px}.chart svg{font-size:12px;fill:#343a40;max-width:100%;height:auto}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:14px}th,td{border:1px solid #dee2e6;padding:4px 8px;text-align:left}
th{background:#e9ecef;cursor:pointer;user-select:none}th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}td.num{text-align:right;font-variant-numeric:tabular-nums}
.example{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:8px 12px;margin-bottom:8px}
.where{color:#6c757d;font-size:12px}.who{display:inline-block;font-size:11px;color:#fff;background:#868e96;border-radius:3px;padding:0 5px;margin-right:4px}
.reply .who{background:#495057}mark{background:#fff3bf;border-bottom:2px solid;padding:0 1px}
.message{color:#495057;font-size:13px}.suggestion{color:#2b8a3e}
.rule h3{font-size:15px;margin:16px 0 6px}.note{color:#8a5a00;background:#fff9db;border-left:3px solid #f59f00;padding:4px 10px;margin:4px 0 12px}@media (max-width:640px){main{padding:12px}.chart svg{max-width:none}}b.up{color:#c92a2a}b.down{color:#2b8a3e}.table-wrap{overflow-x:auto}.sev{font-size:11px;border-radius:3px;padding:0 5px;color:#fff}.sev-error{background:#c92a2a}.sev-warning{background:#e67700}.sev-info{background:#1c7ed6}
`;

const JS = `
for (const table of document.querySelectorAll('table.sortable')) {
  table.querySelectorAll('th').forEach((th, col) => th.addEventListener('click', () => {
    const asc = !th.classList.contains('asc');
    table.querySelectorAll('th').forEach((h) => h.classList.remove('asc', 'desc'));
    th.classList.add(asc ? 'asc' : 'desc');
    const body = table.tBodies[0];
    const key = (tr) => { const td = tr.children[col]; return td.dataset.v !== undefined ? Number(td.dataset.v) : td.textContent; };
    const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
    body.append(...rows);
  }));
}
`;

/** A section's note on a missing column, if any. */
function notes(s: AuditSummary, section: SectionNote['section']): string {
  return s.notes
    .filter((x) => x.section === section)
    .map((x) => `<p class="note">${esc(x.message)}</p>`)
    .join('');
}

const signed = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(2);

/** A change table of the trend section. */
function changeTable(head: string, changes: readonly Change[], id: string, top = 15): string {
  const shown = changes.filter((c) => c.old.count || c.new.count).slice(0, top);
  if (shown.length === 0) return '';
  return sortableTable(
    [head, 'before', 'now', 'per 100 before', 'per 100 now', 'change', 'z'],
    shown.map((c) => [c.key, c.old.count, c.new.count, c.old.rate, c.new.rate, c.deltaRate, c.z]),
    id,
  );
}

function trendSection(s: AuditSummary): string {
  const t = s.trend;
  if (!t) return '';
  const parts: string[] = ['<h2 id="trend">Trend since the previous summary</h2>'];
  const line = (label: string, c: Change) =>
    `<li>${esc(label)}: ${n(c.old.count)} → ${n(c.new.count)} (${c.old.rate.toFixed(2)} → ${c.new.rate.toFixed(2)} per 100 replies, <b class="${c.deltaRate > 0 ? 'up' : c.deltaRate < 0 ? 'down' : ''}">${signed(c.deltaRate)}</b>${c.significant ? ', significant' : ''})</li>`;
  const sc = t.score;
  parts.push(
    `<p class="sub">${esc(t.old.name)} (${n(t.old.audited)} replies) → ${esc(t.new.name)} (${n(t.new.audited)} replies). z: the change over its standard error; |z| ≥ 1.96 is unlikely to be chance.</p><ul>` +
      line('findings (warnings and errors)', t.findings) +
      line('replies flagged', t.flaggedReplies) +
      line('info (apart)', t.info) +
      (sc && sc.old !== undefined && sc.new !== undefined ? `<li>mean conversation score: ${sc.old.toFixed(2)} → ${sc.new.toFixed(2)} (<b>${signed(sc.new - sc.old)}</b>); pass rate ${(sc.oldPassRate ?? 0).toFixed(2)}% → ${(sc.newPassRate ?? 0).toFixed(2)}%</li>` : '') +
      '</ul>',
  );
  parts.push(changeTable('category', t.byCategory, 'table-trend-categories'));
  parts.push(changeTable('rule', t.byRule, 'table-trend-rules'));
  parts.push(changeTable('agent', t.byAgent, 'table-trend-agents'));
  parts.push(changeTable('team', t.byTeam, 'table-trend-teams'));
  for (const b of t.behind) {
    if (b.examples.length === 0) continue;
    parts.push(`<section class="rule"><h3>${esc(b.rule)} · ${signed(b.deltaRate)} per 100 <span class="where">(examples ${b.from === 'new' ? 'from this run' : `from ${esc(t.old.name)}`})</span></h3>${b.examples.map(example).join('')}</section>`);
  }
  return parts.join('\n');
}

export function renderHtmlReport(s: AuditSummary, examples: ReadonlyMap<string, readonly Example[]>, title = 'huashu audit report'): string {
  const card = (value: string, label: string) => `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  const flaggedPct = per100(s.flaggedReplies, s.audited);
  const sc = s.scores;
  const parts: string[] = [];
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(`<p class="sub">${esc(s.files.map((f) => f.file).join(', '))}</p>`);
  parts.push(
    `<div class="cards">${card(n(s.rows), 'rows')}${card(n(s.audited), 'agent replies audited')}${card(n(s.skipped), 'skipped')}${card(n(s.errors), 'errors')}${card(n(s.findings), 'findings (warnings, errors)')}${card(s.rate.toFixed(2), 'findings per 100 replies')}${card(flaggedPct.toFixed(1) + '%', 'replies flagged')}${card(n(s.info.findings), 'info findings (apart)')}` +
      (sc.conversations > 0 ? `${card(sc.score.toFixed(1), `mean score of ${n(sc.conversations)} conversations`)}${card(sc.passRate.toFixed(1) + '%', `passed (≥ ${sc.model.pass})`)}${card(n(sc.fatal), 'with a fatal finding')}` : '') +
      `</div>`,
  );
  if (s.trend) parts.push(`<p><a href="#trend">Trend since ${esc(s.trend.old.name)}</a>: findings ${s.trend.old.rate.toFixed(2)} → ${s.trend.new.rate.toFixed(2)} per 100 replies (${signed(s.trend.findings.deltaRate)})</p>`);

  parts.push('<h2>Overview</h2>');
  parts.push(barChart('Findings per category (warnings and errors)', Object.entries(s.byCategory).map(([c, k]) => ({ label: c, value: k, color: colorOf(c) })), 'chart-categories'));
  parts.push(barChart(`Top rules`, s.byRule.slice(0, 15).map((r) => ({ label: r.rule, value: r.findings, color: r.severity === 'info' ? INFO_COLOR : colorOf(r.category), text: `${n(r.findings)}${r.severity === 'info' ? ' (info)' : ''}` })), 'chart-rules'));
  parts.push(barChart('Top flagged phrases', s.topPhrases.slice(0, 15).map((p) => ({ label: p.phrase.replace(/\s+/g, ' '), value: p.count, color: colorOf(p.category) })), 'chart-phrases'));
  const agents = s.byAgent.slice(0, TOP);
  parts.push(barChart('Findings per 100 replies, per agent (warnings and errors)', agents.map((a) => ({ label: a.agent, value: a.rate, color: colorOf(a.worstCategory ?? ''), text: `${a.rate.toFixed(2)} (${n(a.findings)}/${n(a.replies)})` })), 'chart-agents'));
  parts.push(trendChart(s));
  if (s.findings === 0) parts.push('<p>No warnings or errors.</p>');

  parts.push('<h2>Scores</h2>');
  const m = sc.model;
  parts.push(
    `<p class="sub">Each conversation starts at ${m.base} and loses ${m.points.error} points per error, ${m.points.warning} per warning, ${m.points.info} per info finding${m.rules.length ? ` (${esc(m.rules.map((r) => `${r.selector} ${r.points}`).join(', '))})` : ''}${m.fatal.length ? `; a finding of ${esc(m.fatal.join(', '))} sets it to 0 (fatal)` : ''}; it passes with ${m.pass} or more. An agent's (team's, file's) score in a conversation counts the findings in its own replies.</p>`,
  );
  if (sc.conversations > 0) {
    parts.push(
      `<p>${n(sc.conversations)} conversations: mean ${sc.score.toFixed(2)}, median ${sc.median.toFixed(2)}, lowest ${sc.min.toFixed(2)}; ${n(sc.passed)} passed (${sc.passRate.toFixed(2)}%), ${n(sc.fatal)} with a fatal finding.</p>`,
    );
    parts.push(
      barChart(
        'Conversations per score band',
        [...sc.distribution].reverse().map((d, i) => ({ label: i === 0 ? `${d.from}–${d.to}` : `${d.from}–<${d.to}`, value: d.conversations, color: d.from >= m.pass ? '#2b8a3e' : d.to <= m.pass ? '#c92a2a' : '#e67700' })),
        'chart-scores',
      ),
    );
    if (sc.lowest.length > 0) {
      parts.push('<h3>Lowest-scoring conversations</h3>');
      parts.push(
        sortableTable(
          ['conversation', 'file', 'agents', 'teams', 'replies', 'findings', 'deducted', 'score', 'result'],
          sc.lowest.map((c) => [c.conversation || '(no id)', c.file, c.agents.join(', ') || '-', c.teams.join(', ') || '-', c.replies, c.findings, c.deduction, c.score, c.fatal ? `fatal: ${(c.fatalRules ?? []).join(', ')}` : c.pass ? 'pass' : 'fail']),
          'table-lowest',
        ),
      );
    }
  }
  parts.push(notes(s, 'scores'));

  parts.push('<h2>Rules</h2>');
  const precision = s.reviewPrecision;
  const precisionCell = (rule: string): string => {
    const p = precision?.[rule];
    return p ? `${p.precision.toFixed(2)} (${p.lo.toFixed(2)}–${p.hi.toFixed(2)}, n=${p.n})` : '-';
  };
  parts.push(
    sortableTable(
      ['rule', 'category', 'severity', 'findings', 'per 100 replies', ...(precision ? ['measured precision (reviews)'] : [])],
      s.byRule.map((r) => [r.rule, r.category, r.severity, r.findings, per100(r.findings, s.audited), ...(precision ? [precisionCell(r.rule)] : [])]),
      'table-rules',
    ),
  );
  if (!precision) parts.push('<p class="note">No measured precision: it comes from reviewers\' verdicts on a sample of findings.</p>');
  parts.push('<h2>Top flagged phrases</h2>');
  parts.push(sortableTable(['phrase', 'category', 'rule', 'count'], s.topPhrases.map((p) => [p.phrase, p.category, p.rule, p.count]), 'table-phrases'));
  const scoreCells = (r: { score?: number; passRate?: number; fatal?: number }) => [r.score ?? '-', r.passRate ?? '-', r.fatal ?? '-'] as (string | number)[];
  parts.push('<h2>Agents</h2>');
  if (s.byAgent.length > 0) {
    parts.push(sortableTable(['agent', 'replies', 'findings', 'per 100 replies', 'info', 'score', 'pass %', 'fatal', 'worst category'], s.byAgent.map((a) => [a.agent, a.replies, a.findings, a.rate, a.info, ...scoreCells(a), a.worstCategory ?? '-']), 'table-agents'));
  }
  parts.push(notes(s, 'agents'));
  parts.push('<h2>Teams</h2>');
  if (s.byTeam.length > 0) {
    parts.push(sortableTable(['team', 'replies', 'findings', 'per 100 replies', 'info', 'score', 'pass %', 'fatal', 'worst category'], s.byTeam.map((a) => [a.team, a.replies, a.findings, a.rate, a.info, ...scoreCells(a), a.worstCategory ?? '-']), 'table-teams'));
  }
  parts.push(notes(s, 'teams'));
  parts.push('<h2>Days</h2>');
  if (s.byDay.length > 0) {
    parts.push(sortableTable(['day', 'replies', 'findings', 'per 100 replies', 'info'], s.byDay.map((d) => [d.day, d.replies, d.findings, d.rate, d.info]), 'table-days'));
  }
  parts.push(notes(s, 'days'));

  parts.push(trendSection(s));

  parts.push('<h2>Examples</h2>');
  for (const r of s.byRule) {
    const list = examples.get(r.rule) ?? [];
    if (list.length === 0) continue;
    parts.push(`<section class="rule"><h3>${esc(r.rule)} <span class="sev sev-${esc(r.severity)}">${esc(r.severity)}</span> · ${n(r.findings)}</h3>${list.map(example).join('')}</section>`);
  }

  parts.push('<h2>Inputs</h2>');
  parts.push(
    sortableTable(
      ['file', 'format', 'encoding', 'rows', 'audited', 'skipped', 'errors', 'findings', 'per 100 replies', 'info', 'score', 'pass %', 'fatal'],
      s.files.map((f) => [
        f.file,
        f.error ? `unreadable: ${f.error}` : `${f.format ?? '-'}${f.gzip ? ' (gzip)' : ''}`,
        f.encoding ?? '-',
        f.rows,
        f.audited,
        f.skipped,
        f.errors,
        f.findings ?? '-',
        f.rate ?? '-',
        f.info ?? '-',
        ...scoreCells({ score: f.score?.score, passRate: f.score?.passRate, fatal: f.score?.fatal }),
      ]),
      'table-files',
    ),
  );
  const skippedBy = Object.entries(s.skippedBy).map(([k, v]) => `${k} ${n(v)}`).join(', ');
  const errorsBy = Object.entries(s.errorsBy).map(([k, v]) => `${k} ${n(v)}`).join(', ');
  parts.push(`<p>rows ${n(s.rows)} = audited ${n(s.audited)} + skipped ${n(s.skipped)}${skippedBy ? ` (${esc(skippedBy)})` : ''} + errors ${n(s.errors)}${errorsBy ? ` (${esc(errorsBy)})` : ''}</p>`);

  return `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${parts.filter(Boolean).join('\n')}
</main>
<script>${JS}</script>
</body>
</html>
`;
}
