// The review loop (复核): a reviewer confirms or rejects a sample of findings, and huashu learns from it.
//   audit --review-sample N --review sheet.csv  → ReviewSampler: N findings per rule, seeded reservoir
//                                                  sampling, written as a CSV sheet plus an HTML page
//   review import sheet.csv                      → readSheet: verdicts (confirmed / rejected, a note)
//                                                  → .huashu-review.json: every verdict, each rule's
//                                                    precision with a Wilson 95% interval
//   later audits and lints                       → Suppressions: a finding of a rule on a reply a
//                                                  reviewer rejected it for is counted apart, not shown
// A reply is known by a fingerprint of its normalized text (script, width, spaces and punctuation do
// not matter), so the same reply pasted again, or linted from a template, is recognised.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as yamlStringify } from 'yaml';
import { normalizedText } from '../normalize/index.js';
import { escapeHtml as esc } from './report-html.js';
import type { RowPlace } from './outputs.js';
import type { AuditFinding } from './records.js';
import type { ReviewHook } from './run.js';

export type VerdictValue = 'confirmed' | 'rejected';

/** One reviewer's verdict on one finding: a rule on a reply. */
export interface Verdict {
  rule: string;
  category?: string;
  fingerprint: string;
  verdict: VerdictValue;
  /** The reviewer's (or the agent's, for an appeal) reason. */
  note?: string;
  excerpt?: string;
  /** Where the verdict was read: the sheet and its row. */
  source?: string;
}

/** A rule's measured precision: confirmed / reviewed, with a Wilson 95% confidence interval. */
export interface RulePrecision {
  precision: number;
  lo: number;
  hi: number;
  n: number;
  confirmed: number;
  rejected: number;
}

/** The contents of .huashu-review.json. */
export interface ReviewData {
  version: 1;
  /** Derived from `verdicts`; kept for readers that only want the figures (the HTML report). */
  precision: Record<string, RulePrecision>;
  verdicts: Verdict[];
}

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/** The fingerprint of a reply: its normalized text without spaces and punctuation, hashed. */
export function fingerprint(text: string): string {
  const canonical = normalizedText(text.normalize('NFKC')).replace(/[\s\p{P}\p{S}]+/gu, '');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The Wilson score interval for k successes in n trials (95%: z = 1.96). */
export function wilson(k: number, n: number, z = 1.959964): { lo: number; hi: number } {
  if (n === 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function precisionByRule(verdicts: readonly Verdict[]): Record<string, RulePrecision> {
  const counts = new Map<string, { confirmed: number; rejected: number }>();
  for (const v of verdicts) {
    let c = counts.get(v.rule);
    if (!c) counts.set(v.rule, (c = { confirmed: 0, rejected: 0 }));
    c[v.verdict]++;
  }
  const out: Record<string, RulePrecision> = {};
  for (const [rule, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const n = c.confirmed + c.rejected;
    const { lo, hi } = wilson(c.confirmed, n);
    out[rule] = { precision: round4(c.confirmed / n), lo: round4(lo), hi: round4(hi), n, confirmed: c.confirmed, rejected: c.rejected };
  }
  return out;
}

const verdictKey = (rule: string, fp: string) => `${rule}\u0000${fp}`;

/** Verdicts merged: a later verdict on the same rule and reply replaces the earlier one. */
export function mergeVerdicts(old: readonly Verdict[], added: readonly Verdict[]): Verdict[] {
  const byKey = new Map<string, Verdict>();
  for (const v of [...old, ...added]) {
    byKey.delete(verdictKey(v.rule, v.fingerprint)); // re-inserted: the map keeps the latest order
    byKey.set(verdictKey(v.rule, v.fingerprint), v);
  }
  return [...byKey.values()];
}

export function reviewData(verdicts: Verdict[]): ReviewData {
  return { version: 1, precision: precisionByRule(verdicts), verdicts };
}

/** Read .huashu-review.json; a file that is not one is an error naming it (and the verdict). */
export async function loadReview(path: string): Promise<ReviewData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ReviewError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReviewError(`${path}: invalid JSON (${(e as Error).message})`);
  }
  const d = data as Partial<ReviewData> | null;
  if (typeof d !== 'object' || d === null || d.version !== 1 || !Array.isArray(d.verdicts)) {
    throw new ReviewError(`${path}: not a huashu review file (expected {"version": 1, "verdicts": [...]})`);
  }
  d.verdicts.forEach((v, i) => {
    if (typeof v?.rule !== 'string' || typeof v.fingerprint !== 'string' || (v.verdict !== 'confirmed' && v.verdict !== 'rejected')) {
      throw new ReviewError(`${path}: verdict ${i + 1} needs a rule, a fingerprint and a verdict (confirmed or rejected)`);
    }
  });
  return reviewData(d.verdicts);
}

/** Findings reviewers rejected, by rule and reply: found, counted per rule, and left out. */
export class Suppressions {
  private readonly keys = new Set<string>();
  private readonly rules = new Set<string>();
  readonly byRule = new Map<string, number>();
  total = 0;

  constructor(
    readonly path: string,
    readonly data: ReviewData,
  ) {
    for (const v of data.verdicts) {
      if (v.verdict !== 'rejected') continue;
      this.keys.add(verdictKey(v.rule, v.fingerprint));
      this.rules.add(v.rule);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  /**
   * The findings of a reply to keep, and those a reviewer rejected for it. `texts`: the reply, as the
   * candidate texts its fingerprint may be taken of (lint: the finding's line, and the whole draft).
   */
  filter<F extends { ruleId: string }>(findings: F[], texts: (f: F) => readonly string[]): { kept: F[]; suppressed: F[] } {
    if (!findings.some((f) => this.rules.has(f.ruleId))) return { kept: findings, suppressed: [] };
    const kept: F[] = [];
    const suppressed: F[] = [];
    const prints = new Map<string, string>();
    const print = (t: string) => {
      let p = prints.get(t);
      if (p === undefined) prints.set(t, (p = fingerprint(t)));
      return p;
    };
    for (const f of findings) {
      if (this.rules.has(f.ruleId) && texts(f).some((t) => this.keys.has(verdictKey(f.ruleId, print(t))))) {
        suppressed.push(f);
        this.count(f.ruleId);
      } else kept.push(f);
    }
    return { kept, suppressed };
  }

  count(rule: string, n = 1): void {
    this.total += n;
    this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + n);
  }

  /** What an audit summary says of the review file: findings suppressed, and each rule's precision. */
  summaryFields(): { suppressed: number; suppressedByRule: Record<string, number>; reviewPrecision: Record<string, { precision: number; lo: number; hi: number; n: number }> } {
    return {
      suppressed: this.total,
      suppressedByRule: Object.fromEntries([...this.byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      reviewPrecision: Object.fromEntries(Object.entries(this.data.precision).map(([rule, p]) => [rule, { precision: p.precision, lo: p.lo, hi: p.hi, n: p.n }])),
    };
  }
}

/** A sampled finding with what a reviewer needs to judge it. */
export interface SampleItem {
  seq: number;
  place: RowPlace;
  finding: AuditFinding;
  reply: string;
  fingerprint: string;
}

/** mulberry32, seeded from a string: the same seed and input give the same sample. */
function seededRandom(seed: string): () => number {
  let a = 0;
  for (const b of createHash('sha256').update(seed).digest().subarray(0, 4)) a = (a << 8) | b;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stratified sample: up to `size` findings of every rule, on distinct replies, each equally likely
 * (reservoir sampling, seeded). Memory: the sample, and a fingerprint per distinct flagged reply.
 */
export class ReviewSampler {
  private readonly random: () => number;
  private readonly strata = new Map<string, { seen: number; items: SampleItem[]; replies: Set<string> }>();
  private seq = 0;

  constructor(
    readonly size: number,
    seed: string,
  ) {
    this.random = seededRandom(seed);
  }

  /** A reply is offered once per rule (the same macro sent a thousand times is judged once). */
  offer(place: RowPlace, finding: AuditFinding, reply: string): void {
    let s = this.strata.get(finding.ruleId);
    if (!s) this.strata.set(finding.ruleId, (s = { seen: 0, items: [], replies: new Set() }));
    const fp = fingerprint(reply);
    if (s.replies.has(fp)) return;
    s.replies.add(fp);
    s.seen++;
    const seq = this.seq++;
    let at = s.items.length;
    if (at >= this.size) {
      at = Math.floor(this.random() * s.seen);
      if (at >= this.size) return;
    }
    s.items[at] = { seq, place: { ...place }, finding, reply, fingerprint: fp };
  }

  /** Distinct replies seen per rule. */
  seen(): Map<string, number> {
    return new Map([...this.strata].map(([rule, s]) => [rule, s.seen]));
  }

  /** The sample, by rule, each rule's findings in input order. */
  items(): SampleItem[] {
    return [...this.strata]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .flatMap(([, s]) => [...s.items].sort((a, b) => a.seq - b.seq));
  }
}

export function reviewHook(suppressions: Suppressions | undefined, sampler: ReviewSampler | undefined): ReviewHook {
  return {
    keepText: true,
    reply(place, findings, text) {
      let kept = findings;
      let suppressed: AuditFinding[] = [];
      if (suppressions && text !== undefined) ({ kept, suppressed } = suppressions.filter(findings, () => [text]));
      if (sampler && text !== undefined) for (const f of kept) sampler.offer(place, f, text);
      return { kept, suppressed };
    },
  };
}

// ---- the sheet ----

export const SHEET_COLUMNS = ['id', 'rule', 'category', 'severity', 'excerpt', 'reply', 'customer', 'message', 'suggestion', 'file', 'row', 'conversation', 'turn', 'agent', 'time', 'fingerprint', 'verdict', 'note'] as const;
const TEXT_COLUMNS = new Set(['excerpt', 'reply', 'customer', 'message', 'suggestion', 'conversation', 'agent', 'note']);

/** A spreadsheet would run a cell starting with = + - @ as a formula: such text gets a leading '. */
const FORMULA_START = /^[=+\-@\t\r]/;
const guard = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v);
const unguard = (v: string) => (v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v);

function sheetRow(item: SampleItem, id: number): Record<(typeof SHEET_COLUMNS)[number], string> {
  const { place, finding: f } = item;
  return {
    id: String(id),
    rule: f.ruleId,
    category: f.category,
    severity: f.severity,
    excerpt: f.excerpt,
    reply: item.reply,
    customer: place.customer ?? '',
    message: f.message,
    suggestion: f.suggestions[0]?.text ?? '',
    file: place.file,
    row: String(place.row),
    conversation: place.conversation ?? '',
    turn: place.turn ?? '',
    agent: place.agent ?? '',
    time: place.time ?? '',
    fingerprint: item.fingerprint,
    verdict: '',
    note: '',
  };
}

/** The sheet as CSV (RFC 4180, CRLF, a UTF-8 BOM so that spreadsheets read the Chinese right). */
export function sheetCsv(items: readonly SampleItem[]): string {
  const cell = (v: string) => `"${guard(v).replace(/"/g, '""')}"`;
  const lines = [SHEET_COLUMNS.join(',')];
  items.forEach((item, i) => {
    const row = sheetRow(item, i + 1);
    lines.push(SHEET_COLUMNS.map((c) => cell(row[c])).join(','));
  });
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The sheet as a page to read while filling in the CSV: each finding in its reply, with the customer's turn. */
export function sheetHtml(items: readonly SampleItem[], csvName: string, seen: ReadonlyMap<string, number>): string {
  const cards = items
    .map((item, i) => {
      const { place, finding: f } = item;
      // Where the excerpt is in the reply (it was found there); the whole reply if it cannot be placed.
      const at = item.reply.slice(f.offset, f.offset + f.length) === f.excerpt ? f.offset : -1;
      const reply = at < 0 ? esc(item.reply) : `${esc(item.reply.slice(0, at))}<mark>${esc(f.excerpt)}</mark>${esc(item.reply.slice(at + f.length))}`;
      const where = [place.file, `row ${place.row}`, place.conversation && `conversation ${place.conversation}`, place.turn && `turn ${place.turn}`, place.agent && `agent ${place.agent}`, place.time]
        .filter(Boolean)
        .map((s) => esc(String(s)))
        .join(' · ');
      return (
        `<article id="f${i + 1}"><h2>${i + 1}. <code>${esc(f.ruleId)}</code> <span class="sev ${esc(f.severity)}">${esc(f.severity)}</span></h2>` +
        `<p class="where">${where}</p>` +
        (place.customer ? `<p class="turn customer"><b>customer</b> ${esc(place.customer)}</p>` : '<p class="turn none">(no customer turn before this reply)</p>') +
        `<p class="turn agent"><b>agent</b> ${reply}</p>` +
        `<p class="msg">${esc(f.message)}${f.suggestions[0] ? ` → <i>${esc(f.suggestions[0].text)}</i>` : ''}</p></article>`
      );
    })
    .join('\n');
  const strata = [...seen].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([rule, n]) => `<li><code>${esc(rule)}</code>: ${items.filter((x) => x.finding.ruleId === rule).length} of ${n} distinct replies</li>`).join('');
  return `<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>huashu review sheet</title>
<style>
body{font:15px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:860px;margin:1.5em auto;padding:0 1em;color:#222}
article{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:1em 0}h2{font-size:1em;margin:.2em 0}
.where{color:#666;font-size:.85em;margin:0}.turn{margin:.4em 0;padding:.3em .6em;border-radius:4px}.customer{background:#f1f3f5}.agent{background:#fff4e6}
.none{color:#888;font-style:italic}mark{background:#ffd43b}.msg{color:#444;font-size:.9em}.sev{font-size:.8em;padding:0 .4em;border-radius:3px;background:#eee}
.sev.error{background:#ffe3e3}.sev.warning{background:#fff3bf}
</style></head><body>
<h1>Review sheet</h1>
<p>Fill in the <code>verdict</code> column of <code>${esc(csvName)}</code> for each finding below (same numbers as its <code>id</code> column):
<code>confirmed</code> (the rule is right about this reply) or <code>rejected</code> (a false alarm), with a <code>note</code> if you like;
an agent's appeal is a verdict with the agent's reason in the note. Leave a verdict empty to skip it. Then run
<code>huashu review import ${esc(csvName)}</code>.</p>
<p>Sampled per rule (of the distinct replies it flagged in the audit):</p><ul>${strata}</ul>
${cards}
</body></html>
`;
}

/** A verdict read from a sheet, with the row's text for the labeled export. */
export interface SheetVerdict extends Verdict {
  reply?: string;
  customer?: string;
  severity?: string;
}

export interface SheetRead {
  verdicts: SheetVerdict[];
  /** Rows without a verdict. */
  unreviewed: number;
}

const CONFIRMED = new Set(['confirmed', 'confirm', 'yes', 'y', 'true', '1', 'ok', '确认', '確認', '成立', '属实', '屬實']);
const REJECTED = new Set(['rejected', 'reject', 'no', 'n', 'false', '0', '驳回', '駁回', '误报', '誤報', '不成立']);

/** The verdicts of a filled-in sheet. Every bad row is an error naming the row (and its line). */
export function readSheet(text: string, name: string): SheetRead {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new ReviewError(`${name}: not a readable CSV: ${(e as Error).message.replace(/\s+/g, ' ')}`);
  }
  if (records.length === 0) throw new ReviewError(`${name}: empty sheet (no header line)`);
  const header = records[0]!.record.map((h) => h.trim());
  const index = (c: string) => header.indexOf(c);
  for (const c of ['rule', 'fingerprint', 'verdict']) {
    if (index(c) < 0) throw new ReviewError(`${name}: no '${c}' column (the header has: ${header.join(', ')}); is this a sheet written by huashu audit --review?`);
  }
  const problems: string[] = [];
  const verdicts: SheetVerdict[] = [];
  let unreviewed = 0;
  records.slice(1).forEach(({ record, info }, i) => {
    const at = `${name}: row ${i + 1} (line ${info.lines})`;
    const get = (c: string) => {
      const k = index(c);
      const v = k < 0 ? undefined : record[k];
      return v === undefined ? undefined : TEXT_COLUMNS.has(c) ? unguard(v) : v.trim();
    };
    if (record.length !== header.length) {
      problems.push(`${at}: ${record.length} fields, the header has ${header.length}`);
      return;
    }
    const raw = get('verdict') ?? '';
    if (raw === '') {
      unreviewed++;
      return;
    }
    const key = raw.toLowerCase();
    const verdict: VerdictValue | undefined = CONFIRMED.has(key) ? 'confirmed' : REJECTED.has(key) ? 'rejected' : undefined;
    if (verdict === undefined) {
      problems.push(`${at}: verdict '${raw}' is neither confirmed nor rejected (leave it empty for a finding not reviewed)`);
      return;
    }
    const rule = get('rule') ?? '';
    const fp = get('fingerprint') ?? '';
    if (rule === '' || !/^[0-9a-f]{16}$/.test(fp)) {
      problems.push(`${at}: ${rule === '' ? 'no rule' : `fingerprint '${fp}' is not one huashu wrote`}: the row cannot be matched to a finding`);
      return;
    }
    const note = get('note') || undefined;
    verdicts.push({
      rule,
      category: get('category') || undefined,
      fingerprint: fp,
      verdict,
      note,
      excerpt: get('excerpt') || undefined,
      source: `${name.replace(/^.*[\\/]/, '')} row ${i + 1}`,
      reply: get('reply') || undefined,
      customer: get('customer') || undefined,
      severity: get('severity') || undefined,
    });
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    throw new ReviewError(shown.join('\n') + (problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : ''));
  }
  return { verdicts, unreviewed };
}

/** The reviewed replies as labeled drafts (the format of fixtures/labeled/*.jsonl, read by scripts/eval.mjs). */
export function labeledDrafts(verdicts: readonly SheetVerdict[]): { jsonl: string; count: number } {
  const byReply = new Map<string, SheetVerdict[]>();
  for (const v of verdicts) {
    if (!v.reply) continue;
    const list = byReply.get(v.fingerprint) ?? [];
    list.push(v);
    byReply.set(v.fingerprint, list);
  }
  const lines: string[] = [];
  for (const [fp, vs] of byReply) {
    const confirmed = vs.filter((v) => v.verdict === 'confirmed');
    const labels = [...new Set(confirmed.map((v) => v.category).filter((c): c is string => !!c))];
    const note = vs.map((v) => `${v.verdict} ${v.rule}${v.excerpt ? `「${v.excerpt}」` : ''}${v.note ? `: ${v.note}` : ''}`).join('; ');
    lines.push(
      JSON.stringify({
        id: `review-${fp}`,
        text: vs[0]!.reply,
        labels,
        spans: confirmed.map((v) => v.excerpt).filter(Boolean),
        context: vs[0]!.customer ? [`customer: ${vs[0]!.customer}`] : [],
        note: `review: ${note}`,
        rules: Object.fromEntries(vs.map((v) => [v.rule, v.verdict])),
      }),
    );
  }
  return { jsonl: lines.map((l) => l + '\n').join(''), count: lines.length };
}

/**
 * The reviewed replies as rule examples, per rule (a rule pack's `examples`, which `huashu rules test`
 * runs): confirmed ones are `bad` (with their span), rejected ones `good`. Copy them into a pack's rules.
 */
export function ruleExamplesYaml(verdicts: readonly SheetVerdict[]): { yaml: string; count: number } {
  const rules = new Map<string, { id: string; examples: { bad: ({ text: string; span?: string } | string)[]; good: string[] } }>();
  let count = 0;
  for (const v of verdicts) {
    if (!v.reply) continue;
    let r = rules.get(v.rule);
    if (!r) rules.set(v.rule, (r = { id: v.rule, examples: { bad: [], good: [] } }));
    if (v.verdict === 'confirmed') r.examples.bad.push(v.excerpt ? { text: v.reply, span: v.excerpt } : v.reply);
    else r.examples.good.push(v.reply);
    count++;
  }
  const list = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const head = '# Reviewed replies as rule examples (huashu review import): confirmed → bad, rejected → good.\n# Copy a rule\'s examples into its pack; `huashu rules test` then checks them.\n';
  return { yaml: head + yamlStringify({ rules: list }, { lineWidth: 0 }), count };
}
