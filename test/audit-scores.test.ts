// Audit scores (audit.scoring), info counted apart, sections that say which column they miss, trends
// (audit compare, --previous) and the HTML report's new parts — through the real CLI (dist) on
// fixtures/audit-scores/scored-export.csv: our own sentences, five conversations, two agents, two queues.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync } from './helpers/child.js';
import { Aggregator, type AuditSummary, type FileSummary } from '../src/audit/aggregate.js';
import type { AuditFinding } from '../src/audit/records.js';
import type { Comparison } from '../src/audit/compare.js';
import { DEFAULT_SCORING, Scorer } from '../src/audit/scoring.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXPORT = join(ROOT, 'fixtures', 'audit-scores', 'scored-export.csv');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

function huashu(args: string[], cwd = ROOT) {
  return huashuSync(args, { cwd });
}

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-scores-'));
  // The audits below run in tmp: no project config of ours is found from there.
  writeFileSync(join(tmp, 'package.json'), '{}');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function audit(args: string[], name = Math.random().toString(36).slice(2)) {
  const summary = join(tmp, `${name}.summary.json`);
  const r = huashu(['audit', '--jobs', '1', '--summary', summary, ...args], tmp);
  return { ...r, summary: existsSync(summary) ? (JSON.parse(readFileSync(summary, 'utf8')) as AuditSummary) : undefined, summaryFile: summary };
}

// What the fixture's agent replies are flagged for (asserted against --out below), by conversation:
//   s1 小周/售后: overpromise/definitely-will (error)          s2 小周/售后: negative/problem-noun (info)
//   s3 阿梅/物流: blame/customer-fault (warning) + negative/refusal (warning)
//   s4 阿梅/物流: overpromise/guarantee (error); 小周/物流 one clean reply
//   s5 阿梅/售后: negative/problem-noun (info); one clean reply
const EXPECTED_FINDINGS = [
  ['s1', '小周', '售后', 'overpromise/definitely-will', 'error'],
  ['s2', '小周', '售后', 'negative/problem-noun', 'info'],
  ['s3', '阿梅', '物流', 'blame/customer-fault', 'warning'],
  ['s3', '阿梅', '物流', 'negative/refusal', 'warning'],
  ['s4', '阿梅', '物流', 'overpromise/guarantee', 'error'],
  ['s5', '阿梅', '售后', 'negative/problem-noun', 'info'],
];

const CONFIG = `audit:
  scoring:
    base: 100
    points: { error: 20, warning: 8, info: 1 }
    rules:
      overpromise/guarantee: 30
      blame: 12
    fatal: [overpromise/definitely-will]
    pass: 85
`;

describe('scores', () => {
  it('the findings the hand computation below starts from', () => {
    const out = join(tmp, 'findings.jsonl');
    const r = audit([EXPORT, '--out', out]);
    expect(r.code).toBe(1); // error-level findings
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => [l['conversation'], l['agent'], l['team'], l['rule'], l['severity']])).toEqual(EXPECTED_FINDINGS);
    expect(r.stderr).toContain('team=技能组');
  });

  it('with the default model (100; error 10, warning 5, info 0; pass 80)', () => {
    const { summary: s } = audit([EXPORT]);
    // s1 100−10 = 90, s2 100−0 = 100, s3 100−5−5 = 90, s4 100−10 = 90, s5 100.
    expect(s!.scores.score).toBe((90 + 100 + 90 + 90 + 100) / 5);
    expect(s!.scores.median).toBe(90);
    expect(s!.scores.passed).toBe(5);
    // 阿梅: s3 90, s4 90, s5 100; 小周: s1 90, s2 100, s4 100 (the clean reply in s4 is his).
    const agents = Object.fromEntries(s!.scores.byAgent.map((a) => [a.agent, a.score]));
    expect(agents).toEqual({ 阿梅: Math.round(((90 + 90 + 100) / 3) * 100) / 100, 小周: Math.round(((90 + 100 + 100) / 3) * 100) / 100 });
  });

  it('with a model from the config: points per severity and per rule, a fatal rule, a pass mark', () => {
    const dir = mkdtempSync(join(tmp, 'cfg-'));
    writeFileSync(join(dir, 'huashu.config.yaml'), CONFIG);
    const r = audit([EXPORT, '--config', join(dir, 'huashu.config.yaml'), '--report', join(dir, 'report.html'), '--scores', join(dir, 'scores.jsonl')]);
    const sc = r.summary!.scores;
    // --scores: one line per conversation, as it is scored.
    const lines = readFileSync(join(dir, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { conversation: string; score: number; agents: string[]; pass: boolean });
    expect(lines.map((l) => [l.conversation, l.score, l.agents, l.pass])).toEqual([
      ['s1', 0, ['小周'], false],
      ['s2', 99, ['小周'], true],
      ['s3', 80, ['阿梅'], false],
      ['s4', 70, ['阿梅', '小周'], false],
      ['s5', 99, ['阿梅'], true],
    ]);
    // By hand. s1: definitely-will is fatal → 0 (fail). s2: one info, 1 point → 99 (pass).
    // s3: customer-fault is blame → 12, refusal a warning → 8: 100 − 20 = 80 (fail, under 85).
    // s4: guarantee → 30: 70 (fail) for the conversation and 阿梅; 小周's reply in it is clean: 100 (pass).
    // s5: one info → 99 (pass).
    const conversations = { s1: 0, s2: 99, s3: 80, s4: 70, s5: 99 };
    expect(Object.fromEntries(sc.lowest.map((c) => [c.conversation, c.score]))).toEqual(conversations);
    expect(sc.lowest.map((c) => c.conversation)).toEqual(['s1', 's4', 's3', 's2', 's5']);
    expect(sc.lowest[0]).toMatchObject({ fatal: true, pass: false, fatalRules: ['overpromise/definitely-will'] });
    expect(sc.conversations).toBe(5);
    expect(sc.score).toBe((0 + 99 + 80 + 70 + 99) / 5); // 69.6
    expect(sc.median).toBe(80);
    expect(sc.min).toBe(0);
    expect(sc.passed).toBe(2);
    expect(sc.passRate).toBe(40);
    expect(sc.fatal).toBe(1);
    expect(sc.distribution.map((d) => d.conversations)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1, 2]);

    const two = (x: number) => Math.round(x * 100) / 100;
    // 小周: s1 0 (fatal), s2 99, s4 100 → 66.33, 2 of 3 pass. 阿梅: s3 80, s4 70, s5 99 → 83, 1 of 3 pass.
    expect(sc.byAgent).toEqual([
      { agent: '小周', conversations: 3, score: two(199 / 3), passed: 2, passRate: two(200 / 3), fatal: 1, min: 0 },
      { agent: '阿梅', conversations: 3, score: 83, passed: 1, passRate: two(100 / 3), fatal: 0, min: 70 },
    ]);
    // 售后: s1 0, s2 99, s5 99 → 66. 物流: s3 80, s4 70 (both agents' replies in 物流) → 75.
    expect(sc.byTeam).toEqual([
      { team: '售后', conversations: 3, score: 66, passed: 2, passRate: two(200 / 3), fatal: 1, min: 0 },
      { team: '物流', conversations: 2, score: 75, passed: 0, passRate: 0, fatal: 0, min: 70 },
    ]);
    expect(sc.byFile).toHaveLength(1);
    expect(sc.byFile[0]).toMatchObject({ conversations: 5, score: 69.6, passed: 2, fatal: 1 });
    expect(r.summary!.files[0]!.score).toMatchObject({ score: 69.6 });
    // The agent and team rows carry their scores; the table shows them.
    expect(r.summary!.byAgent.find((a) => a.agent === '阿梅')).toMatchObject({ replies: 5, findings: 3, info: 1, score: 83 });
    expect(r.summary!.byTeam.find((t) => t.team === '物流')).toMatchObject({ replies: 4, findings: 3, info: 0, score: 75 });
    expect(r.stdout).toContain('scores: 5 conversations, mean 69.60 of 100 (median 80.00), 2 passed the mark of 85 (40.00%), 1 with a fatal finding');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('id="chart-scores"');
    expect(html).toContain('id="table-lowest"');
    expect(html).toContain('fatal: overpromise/definitely-will');
    expect(html).toContain('id="table-teams"');
  });

  it('the config found from the working directory is used; a wrong one is an error at its line', () => {
    const dir = mkdtempSync(join(tmp, 'cfg-'));
    writeFileSync(join(dir, 'huashu.config.yaml'), CONFIG);
    const found = huashu(['audit', '--jobs', '1', '--format', 'json', EXPORT], dir);
    expect((JSON.parse(found.stdout) as AuditSummary).scores.model.pass).toBe(85);

    writeFileSync(join(dir, 'huashu.config.yaml'), 'audit:\n  scoring:\n    points: { error: 10, fatal: 3 }\n');
    const badKey = huashu(['audit', '--jobs', '1', EXPORT], dir);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/huashu\.config\.yaml:3:\d+: audit\.scoring\.points: 'fatal' is not a severity/);

    writeFileSync(join(dir, 'huashu.config.yaml'), 'audit:\n  scoring:\n    pass: -5\n');
    expect(huashu(['audit', '--jobs', '1', EXPORT], dir).stderr).toMatch(/huashu\.config\.yaml:3:11: audit\.scoring\.pass: the pass mark must be a number of 0 or more/);

    writeFileSync(join(dir, 'huashu.config.yaml'), 'audit:\n  scoring:\n    fatal: [overpromise/no-such-rule]\n');
    const unknown = huashu(['audit', '--jobs', '1', EXPORT], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("audit.scoring: no rule or category named 'overpromise/no-such-rule'");
  });

  it('re-aggregating the --format jsonl result lines gives the same summary, scores included', async () => {
    const dir = mkdtempSync(join(tmp, 'cfg-'));
    writeFileSync(join(dir, 'huashu.config.yaml'), CONFIG);
    const r = audit([EXPORT, '--config', join(dir, 'huashu.config.yaml')]);
    const lines = huashu(['audit', '--jobs', '1', '--format', 'jsonl', '--config', join(dir, 'huashu.config.yaml'), EXPORT], tmp).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => l['status'] !== 'audited' || typeof l['team'] === 'string')).toBe(true);
    const agg = new Aggregator(r.summary!.scores.model);
    const file: FileSummary = { file: EXPORT, rows: 0, audited: 0, skipped: 0, errors: 0 };
    agg.files.push(file);
    for (const l of lines) {
      if (l['status'] === 'skipped') agg.addSkipped(file, l['code'] as 'customer');
      else {
        const findings = (l['findings'] as Record<string, unknown>[]).map((f) => ({ ...f, ruleId: f['rule'], before: '', after: '', suggestions: [] }) as unknown as AuditFinding);
        agg.addAudited(file, { file: EXPORT, row: l['row'] as number, conversation: l['conversation'] as string, agent: l['agent'] as string, team: l['team'] as string, time: l['time'] as string }, findings);
      }
    }
    const again = agg.summary();
    expect(again.scores).toEqual(r.summary!.scores);
    expect(again.byAgent).toEqual(r.summary!.byAgent);
    expect(again.byTeam).toEqual(r.summary!.byTeam);
  });
});

describe('conversations in bounded memory', () => {
  it('interleaved conversations stay whole while they are among the last ones seen; one that comes back after many others is scored anew', () => {
    const error = { ruleId: 'overpromise/guarantee', category: 'overpromise', severity: 'error' as const };
    const scorer = new Scorer(DEFAULT_SCORING, 4); // two generations of 2
    // c1 and c2 interleaved: each stays one conversation.
    for (const id of ['c1', 'c2', 'c1', 'c2']) scorer.add('f', { conversation: id, agent: 'a' }, [error]);
    // Four others, then c1 again: it was closed, so its last reply is a conversation of its own.
    for (const id of ['c3', 'c4', 'c5', 'c6']) scorer.add('f', { conversation: id, agent: 'a' }, []);
    scorer.add('f', { conversation: 'c1', agent: 'a' }, [error]);
    const s = scorer.finish();
    expect(s.conversations).toBe(7);
    expect(s.lowest.slice(0, 3).map((c) => [c.conversation, c.replies, c.score])).toEqual([
      ['c1', 2, 80],
      ['c2', 2, 80],
      ['c1', 1, 90],
    ]);
  });
});

describe('info findings are counted apart', () => {
  it('the headline, categories, phrases and the agent ranking count warnings and errors only', () => {
    const file = join(tmp, 'info-only.csv');
    // 小林 writes only replies with an info tip (「您的问题」); 小陈 one refusal (a warning) in four.
    writeFileSync(
      file,
      [
        'conversation,agent,speaker,message',
        'a1,小林,agent,您的问题我们已经记录下来了。',
        'a2,小林,agent,关于您的问题，稍后会有同事联系您。',
        'a3,小林,agent,您的问题已经转交给仓库核实。',
        'b1,小陈,agent,这个我们不能处理。',
        'b2,小陈,agent,好的，已经帮您登记。',
        'b3,小陈,agent,请您留意短信通知。',
        'b4,小陈,agent,这边已经为您加急了。',
      ].join('\n') + '\n',
    );
    const { summary: s, stdout } = audit([file]);
    expect(s!.findings).toBe(1);
    expect(s!.rate).toBe(Math.round((1 / 7) * 10000) / 100);
    expect(s!.flaggedReplies).toBe(1);
    expect(s!.info).toEqual({ findings: 3, flaggedReplies: 3, rate: Math.round((3 / 7) * 10000) / 100, byCategory: { negative: 3 } });
    expect(s!.bySeverity).toEqual({ error: 0, warning: 1, info: 3 });
    expect(s!.byCategory).toEqual({ negative: 1 });
    expect(s!.topPhrases.map((p) => p.phrase)).toEqual(['不能']);
    expect(s!.byAgent.map((a) => [a.agent, a.findings, a.info, a.rate])).toEqual([
      ['小陈', 1, 0, 25],
      ['小林', 0, 3, 0],
    ]);
    expect(stdout).toContain('7 agent replies audited: 1 findings (warnings and errors; 14.29 per 100 replies)');
    expect(stdout).toContain('info, apart: 3 findings (42.86 per 100 replies) in 3 replies');
  });
});

describe('sections say which column they miss', () => {
  it('no agent, team, time or conversation column: each section says so, with its option, in the table, the summary and the report', () => {
    const file = join(tmp, 'bare.csv');
    writeFileSync(file, 'speaker,message\ncustomer,我的快递呢？\nagent,我保证明天一定送到。\nagent,好的，帮您看一下。\n');
    const report = join(tmp, 'bare.html');
    const { summary: s, stdout } = audit([file, '--report', report]);
    expect(s!.notes.map((n) => [n.section, n.option, n.replies, n.files])).toEqual([
      ['agents', '--agent', 2, [file]],
      ['teams', '--team', 2, [file]],
      ['days', '--time', 2, [file]],
      ['scores', '--conversation', 2, [file]],
    ]);
    expect(s!.notes[0]!.message).toBe(`none of the 2 audited replies has an agent (no agent column in ${file}): they are in no agent row; name the column with --agent <column>`);
    for (const option of ['--agent', '--team', '--time', '--conversation']) expect(stdout).toContain(`name the column with ${option} <column>`);
    const html = readFileSync(report, 'utf8');
    for (const option of ['--agent', '--team', '--time', '--conversation']) expect(html).toContain(`name the column with ${option} &lt;column&gt;`);
    for (const heading of ['Agents', 'Teams', 'Days', 'Scores']) expect(html).toContain(`<h2>${heading}</h2>`);
    // Without a conversation id each reply is scored alone.
    expect(s!.scores).toMatchObject({ conversations: 2, repliesWithoutConversation: 2 });
  });

  it('a partial column: the replies without a value are counted', () => {
    const file = join(tmp, 'partial.jsonl');
    writeFileSync(file, [{ role: 'agent', agent: '小周', text: '好的。', time: '2024-06-01 10:00' }, { role: 'agent', text: '收到。', time: 'yesterday' }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const { summary: s } = audit([file]);
    const bySection = Object.fromEntries(s!.notes.map((n) => [n.section, n]));
    expect(bySection['agents']).toMatchObject({ replies: 1, files: [] });
    expect(bySection['agents']!.message).toBe('1 of 2 audited replies have no agent (the agent column: agent): they are in no agent row; name the column with --agent <column>');
    expect(bySection['days']).toMatchObject({ replies: 1, files: [] });
  });
});

describe('trends', () => {
  it('audit compare: change per rule, category, agent and team with counts, rates, z, and the replies behind', () => {
    const older = audit([EXPORT], 'older');
    // The newer export: the same, plus a conversation where 小周 promises twice.
    const newer = join(tmp, 'newer.csv');
    writeFileSync(newer, readFileSync(EXPORT, 'utf8') + 's6,2024-07-01 09:00:00,顾客,,售后,能今天发货吗？\ns6,2024-07-01 09:00:20,客服,小周,售后,我保证今天发出。\ns6,2024-07-01 09:00:50,顾客,,售后,真的吗？\ns6,2024-07-01 09:01:20,客服,小周,售后,我保证，放心吧。\n');
    const now = audit([newer, '--previous', older.summaryFile, '--report', join(tmp, 'trend.html')], 'newer');
    const json = huashu(['audit', 'compare', older.summaryFile, now.summaryFile, '--format', 'json'], tmp);
    expect(json.code).toBe(0);
    const c = JSON.parse(json.stdout) as Comparison;
    const guarantee = c.byRule.find((r) => r.key === 'overpromise/guarantee')!;
    // 1 in 10 replies → 3 in 12: 10.00 → 25.00 per 100; z = (0.25 − 0.10) / √(1/10² + 3/12²) = 0.85.
    expect(guarantee).toMatchObject({ old: { count: 1, replies: 10, rate: 10 }, new: { count: 3, replies: 12, rate: 25 }, delta: 2, deltaRate: 15, z: 0.85, significant: false });
    expect(c.byRule[0]!.key).toBe('overpromise/guarantee');
    expect(c.byCategory.find((x) => x.key === 'overpromise')).toMatchObject({ old: { count: 2 }, new: { count: 4 } });
    // 小周: 1 finding in 5 replies → 3 in 7.
    expect(c.byAgent.find((a) => a.key === '小周')).toMatchObject({ old: { count: 1, replies: 5, rate: 20 }, new: { count: 3, replies: 7, rate: 42.86 }, deltaRate: 22.86 });
    expect(c.byTeam.find((t) => t.key === '售后')).toMatchObject({ old: { count: 1, replies: 6 }, new: { count: 3, replies: 8 } });
    expect(c.findings).toMatchObject({ old: { count: 4 }, new: { count: 6 } });
    expect(c.info).toMatchObject({ old: { count: 2 }, new: { count: 2 } });
    // 小周's score: s1 90, s2 100, s4 100, s6 80 (two errors).
    expect(c.byAgent.find((a) => a.key === '小周')!.score).toMatchObject({ old: 96.67, new: Math.round(((90 + 100 + 100 + 80) / 4) * 100) / 100 });
    expect(c.behind[0]).toMatchObject({ rule: 'overpromise/guarantee', from: 'new' });
    expect(c.behind[0]!.examples.map((e) => e.excerpt)).toEqual(['保证', '保证', '保证']);

    const text = huashu(['audit', 'compare', older.summaryFile, now.summaryFile], tmp);
    expect(text.stdout).toContain('findings (warnings and errors): 4 → 6 (40.00 → 50.00 per 100, +10.00)');
    expect(text.stdout).toMatch(/overpromise\/guarantee\s+1\s+3\s+10\.00\s+25\.00\s+\+15\.00\s+0\.85\n/);
    expect(text.stdout).toContain('replies behind the biggest rule changes:');
    expect(text.stdout).toContain('我[保证]今天发出。');

    // --previous: the same comparison in the run's summary, table and report.
    expect(now.summary!.trend!.byRule[0]).toMatchObject({ key: 'overpromise/guarantee', deltaRate: 15 });
    expect(now.stdout).toMatch(/since .*older\.summary\.json: findings 40\.00 → 50\.00 per 100 replies \(\+10\.00\)/);
    const html = readFileSync(join(tmp, 'trend.html'), 'utf8');
    expect(html).toContain('id="trend"');
    expect(html).toContain('id="table-trend-rules"');
  });

  it('a summary written before info was counted apart has it taken out of its totals', () => {
    const older = audit([EXPORT], 'legacy');
    const legacy = { ...older.summary! } as Partial<AuditSummary>;
    // As such a summary read: info in findings and in its category, no `info` field.
    legacy.findings = older.summary!.findings + older.summary!.info.findings;
    legacy.byCategory = { ...older.summary!.byCategory, negative: (older.summary!.byCategory['negative'] ?? 0) + older.summary!.info.findings };
    delete legacy.info;
    const file = join(tmp, 'legacy.summary.json');
    writeFileSync(file, JSON.stringify(legacy));
    const c = JSON.parse(huashu(['audit', 'compare', file, older.summaryFile, '--format', 'json'], tmp).stdout) as Comparison;
    expect(c.findings).toMatchObject({ old: { count: 4 }, new: { count: 4 }, deltaRate: 0 });
    expect(c.info).toMatchObject({ old: { count: 2 }, new: { count: 2 } });
    expect(c.byCategory.find((x) => x.key === 'negative')).toMatchObject({ old: { count: 1 }, new: { count: 1 } });
  });

  it('a file that is not a summary is a usage error naming it', () => {
    const bad = join(tmp, 'not-a-summary.json');
    writeFileSync(bad, '{"rows": 3}');
    const r = huashu(['audit', 'compare', bad, bad], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`compare ${bad}: no 'audited' number: not a summary written by huashu audit --summary`);
    const p = huashu(['audit', EXPORT, '--previous', join(tmp, 'missing.json')], tmp);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('--previous');
    expect(p.stderr).toContain('cannot read (ENOENT)');
  });
});

describe('HTML report', () => {
  it('per-file and per-agent tables, labels that fit, day labels turned and spaced, measured precision when given', async () => {
    const report = join(tmp, 'full.html');
    const second = join(tmp, 'second.csv');
    writeFileSync(second, readFileSync(EXPORT, 'utf8').replace(/2024-06-0/g, '2024-06-1'));
    const r = audit([EXPORT, second, '--report', report]);
    expect(r.code).toBe(1);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('id="table-files"');
    expect(html).toContain('id="table-agents"');
    // Per-file rows with findings, rate and score.
    // The two files' s1…s5 are ten conversations (an id counts within its file), scored per file.
    expect(r.summary!.scores.conversations).toBe(10);
    expect(r.summary!.scores.byFile.map((f) => [f.conversations, f.score])).toEqual([
      [5, 94],
      [5, 94],
    ]);
    expect(r.summary!.files.map((f) => [f.findings, f.info, f.rate])).toEqual([
      [4, 2, 40],
      [4, 2, 40],
    ]);
    // A bar chart's label column is as wide as its longest label: the longest rule id is not cut.
    expect(html).toContain('>overpromise/definitely-will</text>');
    // Six days: each label turned 45°, none dropped; none to the left of the chart.
    const days = [...html.matchAll(/<text class="day" x="([\d.]+)"[^>]*>([^<]+)<\/text>/g)];
    expect(days.map((d) => d[2])).toEqual(['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-13', '2024-06-14', '2024-06-15']);
    expect(Math.min(...days.map((d) => Number(d[1])))).toBeGreaterThanOrEqual(60);
    expect(html).not.toContain('measured precision (reviews)');

    // The review loop's precision, when a summary carries it, is a column of the rules table.
    const { renderHtmlReport } = await import('../src/audit/report-html.js');
    const withPrecision = renderHtmlReport({ ...r.summary!, reviewPrecision: { 'overpromise/guarantee': { precision: 0.9, lo: 0.6, hi: 0.98, n: 10 } } }, new Map());
    expect(withPrecision).toContain('measured precision (reviews)');
    expect(withPrecision).toContain('0.90 (0.60–0.98, n=10)');
  });

  it('day labels of a long period are skipped so they do not overlap', async () => {
    const { renderHtmlReport } = await import('../src/audit/report-html.js');
    const { summary } = audit([EXPORT]);
    const byDay = Array.from({ length: 120 }, (_, i) => ({ day: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), replies: 10, findings: i % 7, rate: (i % 7) * 10, info: 0 }));
    const html = renderHtmlReport({ ...summary!, byDay }, new Map());
    const xs = [...html.matchAll(/<text class="day" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs.length).toBeGreaterThan(10);
    expect(xs.length).toBeLessThan(120);
    // Turned 45°, labels 16 px apart along the axis do not touch (a 12 px line).
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(15.8); // 16, less the rounding of x to 0.1 px
  });
});

// Headless Chromium (Debian's `chromium`) renders the report at a desktop and a phone width.
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
describe.skipIf(!chromium)('HTML report in headless Chromium at 1280 and 390 px', () => {
  it.each([1280, 390])('renders the charts, the score bands and the trend at %i px', async (width) => {
    const before = audit([EXPORT], `render-before-${width}`);
    const report = join(tmp, `render-${width}.html`);
    audit([EXPORT, '--previous', before.summaryFile, '--report', report]);
    const png = join(tmp, `render-${width}.png`);
    const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},4000`, `--screenshot=${png}`, `file://${report}`], { encoding: 'utf8', timeout: 90_000 });
    expect(existsSync(png), r.stderr).toBe(true);
    const { PNG } = await import('pngjs');
    const image = PNG.sync.read(readFileSync(png));
    expect(image.width).toBe(width);
    const counts = new Map<string, number>();
    for (let i = 0; i < image.data.length; i += 4) {
      const hex = '#' + [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('');
      counts.set(hex, (counts.get(hex) ?? 0) + 1);
    }
    // overpromise, negative, blame bars; the passing score band (green); info bars (grey).
    for (const color of ['#d9480f', '#1971c2', '#9c36b5', '#2b8a3e', '#adb5bd']) expect(counts.get(color) ?? 0, color).toBeGreaterThan(200);
  }, 120_000);
});
if (!chromium) console.warn('audit-scores.test.ts: no Chromium installed (apt-get install chromium): the HTML render test is skipped');

// The shared research corpus (../shared/corpus): read at run time, never copied into the project.
describe.skipIf(!existsSync(CORPUS))('shared corpus', () => {
  it('the Weibo helpdesk file: info tips are out of the headline, every section is there or explained', () => {
    const file = join(CORPUS, 'stc3_weibo_helpdesk.jsonl');
    const { summary: s } = audit([file, '--queue', 'source']);
    expect(s!.findings).toBe(s!.bySeverity.error + s!.bySeverity.warning);
    expect(s!.info.findings).toBe(s!.bySeverity.info);
    expect(s!.info.findings).toBeGreaterThan(0);
    expect(Object.values(s!.byCategory).reduce((a, b) => a + b, 0)).toBe(s!.findings);
    // No agent or time column in it: those sections say so; the queue (here the source) is a team row.
    expect(s!.notes.map((n) => n.section).sort()).toEqual(['agents', 'days']);
    expect(s!.byTeam.map((t) => t.team)).toEqual(['stc3']);
    expect(s!.byTeam[0]!.findings).toBe(s!.findings);
    expect(s!.scores.conversations).toBeGreaterThan(1000);
  }, 120_000);
});
