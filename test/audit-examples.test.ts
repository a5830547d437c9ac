// The summary's examples (the first findings of each rule, with their first suggestion) through the real
// CLI. Without --out, result lines or a review sheet, the replies are linted without suggestions and only
// the examples' replies are linted again with them (run.ts examplesOnlySuggest): the summary must be the
// one a run that builds every finding's suggestions gives, at any --jobs and batch size.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync } from './helpers/child.js';
import { fileWriter } from './helpers/files.js';
import { AGENT_TURNS, CUSTOMER_TURNS } from './helpers/replies.js';

let dir = '';
const file = fileWriter(() => dir);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-examples-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summary {
  examples: Record<string, { row: number; excerpt: string; suggestion?: string }[]>;
  byRule: { rule: string; findings: number }[];
}

/** Conversations whose agent replies are judged with the agent's message before and the customer's they answer. */
function exportRows(): string {
  const rows: { conversation: string; role: string; text: string }[] = [];
  for (let c = 0; c < 12; c++) {
    const conversation = `c${c}`;
    rows.push({ conversation, role: 'customer', text: CUSTOMER_TURNS[c % CUSTOMER_TURNS.length]! });
    // a reply split over two messages: an offer in the first excuses a refusal in the second
    if (c % 3 === 0) rows.push({ conversation, role: 'agent', text: '我帮您申请一张五元运费券。' });
    rows.push({ conversation, role: 'agent', text: AGENT_TURNS[c % AGENT_TURNS.length]! });
    rows.push({ conversation, role: 'agent', text: `${AGENT_TURNS[(c + 3) % AGENT_TURNS.length]!}运费这边是无法退款的哦。` });
    // a bare no: a fact after a question of fact, a refusal after a request
    rows.push({ conversation, role: 'customer', text: c % 2 === 0 ? '这款充电宝能带上飞机吗？' : '能帮我把发票抬头改成公司吗？' });
    rows.push({ conversation, role: 'agent', text: '不能的哦亲' });
  }
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe("the summary's examples and their suggestions", () => {
  it('are those of a run that builds every suggestion, at any --jobs and batch size', () => {
    const input = file('chats.jsonl', exportRows());
    // --out: every finding gets its suggestions in the thread that lints it
    const out = join(dir, 'findings.jsonl');
    const full = huashuSync(['audit', '-q', '--format', 'json', '--jobs', '1', '--out', out, input], { cwd: dir });
    expect(full.stderr).toBe('');
    const expected = JSON.parse(full.stdout) as Summary;
    // the examples hold suggestions, several rules have more findings than examples, and the result lines
    // agree with the examples (each example's suggestion is its finding's first)
    const examples = Object.values(expected.examples).flat();
    expect(examples.filter((e) => e.suggestion !== undefined).length).toBeGreaterThan(3);
    expect(expected.byRule.filter((r) => r.findings > 3).length).toBeGreaterThan(1);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; rule: string; excerpt: string; suggestion?: string });
    for (const [rule, list] of Object.entries(expected.examples)) {
      for (const e of list) expect(lines.find((l) => l.rule === rule && l.row === e.row && l.excerpt === e.excerpt)?.suggestion).toBe(e.suggestion);
    }
    for (const batch of ['1', '2', '3', '512']) {
      for (const jobs of ['1', '2']) {
        const r = huashuSync(['audit', '-q', '--format', 'json', '--jobs', jobs, '--batch-size', batch, input], { cwd: dir });
        expect(r.stderr).toBe('');
        expect(JSON.parse(r.stdout), `--batch-size ${batch} --jobs ${jobs}`).toEqual(expected);
      }
    }
  });
});
