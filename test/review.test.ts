// The review loop end to end, through the real CLI on our own export: audit samples findings per rule
// into a review sheet → a reviewer's verdicts → `review import` measures each rule's precision (Wilson
// interval) and keeps the rejections → the next audit and `huashu lint` count those findings apart →
// the reviewed replies come out as labeled drafts and rule examples that the engine agrees with.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync, type Run } from './helpers/child.js';
import { lintText } from '../src/engine/lint.js';
import { loadRules } from '../src/rules/load.js';
import { AGENT_TURNS, CUSTOMER_TURNS } from './helpers/replies.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const huashu = (args: string[], options: { cwd?: string; input?: string } = {}): Run => huashuSync(args, { cwd: options.cwd ?? dir, input: options.input, maxBuffer: 64 << 20 });

interface Summary {
  findings: number;
  byRule: { rule: string; category: string; findings: number }[];
  suppressed?: number;
  suppressedByRule?: Record<string, number>;
  reviewPrecision?: Record<string, { precision: number; lo: number; hi: number; n: number }>;
}

// Our own sentences: replies that repeat across conversations, as macros do.
const CUSTOMER = CUSTOMER_TURNS;
const AGENT = AGENT_TURNS;
const REJECTED_RULE = 'overpromise/guarantee';

function exportCsv(): { text: string; agentTexts: string[]; agentRows: (string | undefined)[] } {
  const lines = ['conversation_id,time,agent,speaker,message'];
  const agentTexts: string[] = [];
  /** Each row's agent text (undefined for customer rows), by row number - 1. */
  const agentRows: (string | undefined)[] = [];
  for (let c = 0; c < 16; c++) {
    for (let t = 0; t < 4; t++) {
      const agent = t % 2 === 1;
      // Mostly macros (the same reply in many conversations), now and then a reply of the agent's own.
      const own = `订单${1000 + c}的包裹一定会在明天发出。`;
      const text = agent ? (t === 3 && c % 2 === 0 ? own : AGENT[(c * 3 + t) % AGENT.length]!) : CUSTOMER[(c + t) % CUSTOMER.length]!;
      if (agent) agentTexts.push(text);
      agentRows.push(agent ? text : undefined);
      lines.push([`c${c + 1}`, `2024-06-0${(c % 3) + 1} 10:0${t}:00`, agent ? ['张三', '李四'][c % 2] : '', agent ? 'agent' : 'customer', text].join(','));
    }
  }
  return { text: lines.join('\n') + '\n', agentTexts, agentRows };
}

type SheetRow = Record<string, string>;
const readSheet = (path: string): SheetRow[] => parseCsv(readFileSync(path, 'utf8'), { bom: true, columns: true }) as SheetRow[];
const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;
function writeSheet(path: string, rows: SheetRow[]): void {
  const head = Object.keys(rows[0]!);
  writeFileSync(path, '\uFEFF' + [head.join(','), ...rows.map((r) => head.map((h) => csvCell(r[h]!)).join(','))].join('\r\n') + '\r\n');
}

let dir: string;
const fixture = exportCsv();
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'huashu-review-'));
  writeFileSync(join(dir, 'export.csv'), fixture.text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('review loop: sample → verdicts → precision → suppressions in audit and lint → labeled export', () => {
  let before: Summary;
  let sheet: SheetRow[];

  it('audit --review-sample writes a stratified, seeded sample per rule, with the reply and its customer turn', () => {
    const r = huashu(['audit', 'export.csv', '--jobs', '1', '--review-sample', '2', '--seed', '5', '--review', 'sheet.csv', '--summary', 'before.json', '--out', 'findings.jsonl']);
    expect(r.code, r.stderr).toBe(1); // error-level findings
    expect(r.stderr).toMatch(/review sheet: \d+ findings sampled \(up to 2 of each rule, seed 5\)/);
    before = JSON.parse(readFileSync(join(dir, 'before.json'), 'utf8')) as Summary;
    expect(before.suppressed).toBeUndefined();
    sheet = readSheet(join(dir, 'sheet.csv'));
    // Every rule that fired is in the sample, min(2, its distinct replies) times: a reply is judged once.
    const perRule = new Map<string, number>();
    for (const row of sheet) perRule.set(row['rule']!, (perRule.get(row['rule']!) ?? 0) + 1);
    const findings = readFileSync(join(dir, 'findings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { rule: string; row: number });
    const replies = (rule: string) => new Set(findings.filter((f) => f.rule === rule).map((f) => fixture.agentRows[f.row - 1])).size;
    expect(Object.fromEntries(perRule)).toEqual(Object.fromEntries(before.byRule.map((b) => [b.rule, Math.min(2, replies(b.rule))])));
    expect(new Set(sheet.map((row) => `${row['rule']} ${row['fingerprint']}`)).size).toBe(sheet.length);
    expect(before.byRule.find((b) => b.rule === REJECTED_RULE)!.findings).toBeGreaterThan(2);
    for (const row of sheet) {
      expect(fixture.agentTexts).toContain(row['reply']);
      expect(row['reply']).toContain(row['excerpt']);
      expect(CUSTOMER).toContain(row['customer']);
      expect(row['fingerprint']).toMatch(/^[0-9a-f]{16}$/);
      expect(row['verdict']).toBe('');
    }
    const html = readFileSync(join(dir, 'sheet.html'), 'utf8');
    expect(html).toContain('<mark>');
    expect(html.match(/<article /g)).toHaveLength(sheet.length);
    // The same seed and input: the same sheet; the seed does choose.
    const again = huashu(['audit', 'export.csv', '--jobs', '2', '-q', '--review-sample', '2', '--seed', '5', '--review', 'again.csv']);
    expect(again.code).toBe(1);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'sheet.csv'), 'utf8'));
    const others = [1, 2, 3, 4].map((seed) => {
      huashu(['audit', 'export.csv', '--jobs', '1', '-q', '--review-sample', '2', '--seed', String(seed), '--review', `seed-${seed}.csv`]);
      return readFileSync(join(dir, `seed-${seed}.csv`), 'utf8');
    });
    expect(new Set([...others, readFileSync(join(dir, 'sheet.csv'), 'utf8')]).size).toBeGreaterThan(1);
  });

  it('a verdict that is neither confirmed nor rejected is an error naming the row, and nothing is written', () => {
    const bad = sheet.map((r) => ({ ...r }));
    bad[2]!['verdict'] = 'maybe';
    writeSheet(join(dir, 'bad.csv'), bad);
    const r = huashu(['review', 'import', 'bad.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv: row 3 \(line 4\): verdict 'maybe' is neither confirmed nor rejected/);
    expect(existsSync(join(dir, '.huashu-review.json'))).toBe(false);
    expect(existsSync(join(dir, 'bad.drafts.jsonl'))).toBe(false);
  });

  let rejectedReplies: Set<string>;
  it('review import: precision per rule with a Wilson interval; an appeal is a verdict with a note', () => {
    const filled = sheet.map((r, i) => ({ ...r }) as SheetRow & { verdict: string; note: string });
    filled.forEach((r) => {
      if (r['rule'] === REJECTED_RULE) {
        r.verdict = 'rejected';
        r.note = '申诉：客户要求给出明确时间，属实际可兑现的承诺';
      } else r.verdict = '确认';
    });
    filled.find((r) => r['rule'] !== REJECTED_RULE)!.verdict = ''; // one left unreviewed
    writeSheet(join(dir, 'sheet.csv'), filled);
    rejectedReplies = new Set(filled.filter((r) => r.verdict === 'rejected').map((r) => r['reply']!));
    const r = huashu(['review', 'import', 'sheet.csv', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { precision: Record<string, { precision: number; lo: number; hi: number; n: number; confirmed: number }>; suppressions: number; read: { unreviewed: number; withNote: number } };
    // Wilson 95% bounds worked out by hand: 1 of 1 → 0.2065–1, 2 of 2 → 0.3424–1, 0 of 2 → 0–0.6576.
    const lower: Record<number, number> = { 1: 0.2065, 2: 0.3424 };
    for (const [rule, p] of Object.entries(out.precision)) {
      if (rule === REJECTED_RULE) expect(p).toMatchObject({ precision: 0, lo: 0, hi: 0.6576, n: 2, confirmed: 0 });
      else expect(p).toMatchObject({ precision: 1, lo: lower[p.n], hi: 1, confirmed: p.n });
    }
    expect(out.suppressions).toBe(2);
    expect(out.read.withNote).toBe(2);
    expect(out.read.unreviewed).toBe(1);
    const text = huashu(['review', 'import', 'sheet.csv', '--no-export']);
    expect(text.stdout).toMatch(/overpromise\/guarantee\s+2\s+0\s+2\s+0\.0%\s+0\.0% – 65\.8%/);
    const file = JSON.parse(readFileSync(join(dir, '.huashu-review.json'), 'utf8')) as { version: number; verdicts: unknown[] };
    expect(file.version).toBe(1);
    expect(file.verdicts).toHaveLength(filled.filter((x) => x.verdict !== '').length); // the second import replaced, not added
  });

  it('the next audit counts the rejected findings apart (every reply with that text), and says each rule\'s precision', () => {
    const r = huashu(['audit', 'export.csv', '--jobs', '1', '--summary', 'after.json']);
    expect(r.stdout).toMatch(/\d+ findings? suppressed: rejected by reviewers/);
    const after = JSON.parse(readFileSync(join(dir, 'after.json'), 'utf8')) as Summary;
    const expected = fixture.agentTexts.filter((t) => rejectedReplies.has(t)).length;
    expect(expected).toBeGreaterThan(2); // the same reply, sent in several conversations
    expect(after.suppressed).toBe(expected);
    expect(after.suppressedByRule).toEqual({ [REJECTED_RULE]: expected });
    expect(after.findings).toBe(before.findings - expected);
    const count = (s: Summary) => s.byRule.find((b) => b.rule === REJECTED_RULE)?.findings ?? 0;
    expect(count(after)).toBe(count(before) - expected);
    expect(after.reviewPrecision?.[REJECTED_RULE]).toEqual({ precision: 0, lo: 0, hi: 0.6576, n: 2 });
    const off = huashu(['audit', 'export.csv', '--jobs', '1', '--no-review-file', '-f', 'json']);
    expect((JSON.parse(off.stdout) as Summary).findings).toBe(before.findings);
  });

  it('split runs carry the suppressed findings, and merge counts them as the single run does', () => {
    const r = huashu(['audit', 'export.csv', '--jobs', '1', '--format', 'jsonl']);
    writeFileSync(join(dir, 'results.jsonl'), r.stdout);
    const merged = JSON.parse(huashu(['audit', 'merge', 'results.jsonl', '-f', 'json']).stdout) as Summary;
    expect(merged).toEqual(JSON.parse(readFileSync(join(dir, 'after.json'), 'utf8')));
  });

  it('huashu lint honours the verdicts: the same reply in another script and punctuation, counted on stderr', () => {
    // The rejected replies in traditional script with ASCII punctuation: still those replies.
    const TRADITIONAL: Record<string, string> = { [AGENT[0]!]: '您好,這批貨一定會在週五前送到,我保證!', [AGENT[7]!]: '我保證下週一前給您答復.' };
    const traditional = TRADITIONAL[[...rejectedReplies][0]!]!;
    expect(traditional).toBeDefined();
    writeFileSync(join(dir, 'drafts.txt'), `${traditional}\n我保证您明天一定能收到退款。\n`);
    const r = huashu(['lint', 'drafts.txt', '-f', 'json']);
    const rules = (JSON.parse(r.stdout) as { files: { findings: { ruleId: string; line: number }[] }[] }).files[0]!.findings.map((f) => `${f.line}:${f.ruleId}`);
    expect(rules).not.toContain(`1:${REJECTED_RULE}`);
    expect(rules).toContain(`2:${REJECTED_RULE}`); // another reply: not suppressed
    expect(r.stderr).toMatch(/huashu: 1 finding suppressed: rejected by reviewers for these very replies \(.*\.huashu-review\.json: overpromise\/guarantee 1/);
    const off = huashu(['lint', 'drafts.txt', '-f', 'json', '--no-review-file']);
    expect((JSON.parse(off.stdout) as { files: { findings: { ruleId: string; line: number }[] }[] }).files[0]!.findings.map((f) => `${f.line}:${f.ruleId}`)).toContain(`1:${REJECTED_RULE}`);
    expect(off.stderr).toBe('');
  });

  it('exports the reviewed replies as labeled drafts and rule examples that the engine agrees with', async () => {
    huashu(['review', 'import', 'sheet.csv']);
    const drafts = readFileSync(join(dir, 'sheet.drafts.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string; labels: string[]; spans: string[]; context: string[]; rules: Record<string, string> });
    const reviewed = readSheet(join(dir, 'sheet.csv')).filter((r) => r['verdict'] !== '');
    expect(drafts).toHaveLength(new Set(reviewed.map((r) => r['fingerprint'])).size);
    const set = await loadRules();
    for (const d of drafts) {
      expect(d.context[0]).toMatch(/^customer: /);
      const rows = reviewed.filter((r) => r['reply'] === d.text);
      expect(d.rules).toEqual(Object.fromEntries(rows.map((r) => [r['rule'], r['verdict'] === 'rejected' ? 'rejected' : 'confirmed'])));
      expect(d.labels.sort()).toEqual([...new Set(rows.filter((r) => r['verdict'] !== 'rejected').map((r) => r['category']))].sort());
      // A confirmed finding is there in the draft, at its span.
      const found = lintText(d.text, set).map((f) => `${f.ruleId}「${f.excerpt}」`);
      for (const r of rows.filter((x) => x['verdict'] !== 'rejected')) expect(found).toContain(`${r['rule']}「${r['excerpt']}」`);
    }
    expect(drafts.some((d) => d.labels.length === 0)).toBe(true); // a reply whose only finding was rejected: clean
    const examples = parseYaml(readFileSync(join(dir, 'sheet.examples.yaml'), 'utf8')) as { rules: { id: string; examples: { bad: { text: string; span: string }[]; good: string[] } }[] };
    const guarantee = examples.rules.find((r) => r.id === REJECTED_RULE)!;
    expect(new Set(guarantee.examples.good)).toEqual(rejectedReplies);
    expect(guarantee.examples.bad).toEqual([]);
    for (const rule of examples.rules) for (const bad of rule.examples.bad) expect(bad.text).toContain(bad.span);
  });
});
