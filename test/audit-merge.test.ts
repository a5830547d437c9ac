// `huashu audit merge`: an export cut into parts, each audited on its own as Spark's RDD.pipe or Hadoop
// Streaming would (`audit --stdin --format jsonl`), merged back: the summary and the HTML report must be
// those of one run over the whole export, field for field and byte for byte. Through the real CLI on
// our own export (always), and on the shared corpus when ../shared is there (JSON lines, and CSV parts
// without a header line).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync, type Run } from './helpers/child.js';
import { AGENT_TURNS, CUSTOMER_TURNS } from './helpers/replies.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

const huashu = (args: string[], options: { cwd?: string; input?: string } = {}): Run => huashuSync(args, { cwd: options.cwd ?? tmp, input: options.input });

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// Our own export: 12 conversations, customer and agent turns, three agents, three days, a ticket column.
const CUSTOMER = CUSTOMER_TURNS;
const AGENT = AGENT_TURNS;
const AGENTS = ['张三', '李四', '王五'];
const HEADER = ['conversation_id', 'time', 'agent', 'speaker', 'message', 'ticket'];

function exportRows(): string[][] {
  const rows: string[][] = [];
  for (let c = 0; c < 12; c++) {
    const id = `c${String(c + 1).padStart(3, '0')}`;
    const day = `2024-06-0${(c % 3) + 1}`;
    for (let t = 0; t < 4; t++) {
      const agent = t % 2 === 1;
      // A reply with a comma and a line break inside, quoted, now and then.
      const text = agent ? AGENT[(c * 3 + t) % AGENT.length]! + (c % 4 === 3 && t === 3 ? '\n另外，"运费"另计。' : '') : CUSTOMER[(c + t) % CUSTOMER.length]!;
      rows.push([id, `${day} 10:${String(t * 7).padStart(2, '0')}:00`, agent ? AGENTS[c % 3]! : '', agent ? 'agent' : 'customer', text, `T-${c * 10 + t}`]);
    }
  }
  return rows;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvText = (rows: readonly string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** Rows cut into `n` parts of about equal size, each cut at a conversation boundary. */
function cutAtConversations<T>(rows: readonly T[], n: number, conversation: (r: T) => unknown): T[][] {
  const parts: T[][] = Array.from({ length: n }, () => []);
  let p = 0;
  rows.forEach((r, i) => {
    if (p < n - 1 && i >= ((p + 1) * rows.length) / n && conversation(r) !== conversation(rows[i - 1]!)) p++;
    parts[p]!.push(r);
  });
  return parts;
}

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-merge-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Audit the parts one by one (standard input, jsonl), merge them; the single run's and the merge's outputs. */
function splitAndMerge(name: string, whole: string, parts: string[], partArgs: (k: number) => string[], wholeArgs: string[] = []) {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  writeFileSync(join(dir, name), whole);
  const single = huashu(['audit', name, '--jobs', '1', '-q', '--summary', 'single.json', '--report', 'single.html', ...wholeArgs], { cwd: dir });
  expect(single.code, single.stderr).toBeLessThan(2);
  const results: string[] = [];
  parts.forEach((part, k) => {
    const r = huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1', '--input-name', name, ...partArgs(k)], { cwd: dir, input: part });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    writeFileSync(join(dir, `results-${k}.jsonl`), r.stdout);
    results.push(r.stdout);
  });
  const merged = huashu(['audit', 'merge', ...parts.map((_, k) => `results-${k}.jsonl`), '--summary', 'merged.json', '--report', 'merged.html'], { cwd: dir });
  expect(merged.code, merged.stderr).toBeLessThan(2);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { dir, single: read('single.json'), merged: read('merged.json'), singleHtml: read('single.html'), mergedHtml: read('merged.html'), results, stderr: merged.stderr, stdout: merged.stdout };
}

describe('audit merge on our own export', () => {
  const rows = exportRows();
  const parts = cutAtConversations(rows, 4, (r) => r[0]);

  it('CSV parts without a header line (--columns) merge into the single run: summary and report identical', () => {
    const out = splitAndMerge('export.csv', csvText([HEADER, ...rows]), parts.map(csvText), (k) => ['--columns', HEADER.join(','), '--part', `p${k}`]);
    const single = JSON.parse(out.single) as { rows: number; findings: number; byAgent: unknown[]; byDay: unknown[] };
    expect(single.rows).toBe(rows.length);
    expect(single.findings).toBeGreaterThan(10);
    expect(single.byAgent).toHaveLength(3);
    expect(single.byDay).toHaveLength(3);
    expect(out.merged).toBe(out.single);
    expect(out.mergedHtml).toBe(out.singleHtml);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^huashu audit merge: 4 parts from 4 files/);
    // Rows are numbered within each part, with the part's name; the first line of each says how it was read.
    const first = jsonLines(out.results[1]!)[0]!;
    expect(first).toMatchObject({ file: 'export.csv', part: 'p1', row: 1, line: 1, input: { format: 'csv', encoding: 'utf-8', columns: { text: 'message', role: 'speaker' } } });
    expect(jsonLines(out.results[1]!)[1]!['input']).toBeUndefined();
  });

  it('merges a folder of Spark part files (part-00000) or a glob of Hadoop ones (part-m-00000), in their order', () => {
    const out = splitAndMerge('export.csv', csvText([HEADER, ...rows]), parts.map(csvText), () => ['--columns', HEADER.join(',')]);
    const spark = join(out.dir, 'spark-out');
    mkdirSync(spark);
    out.results.forEach((r, k) => writeFileSync(join(spark, `part-0000${k}`), r));
    writeFileSync(join(spark, '_SUCCESS'), '');
    const merged = huashu(['audit', 'merge', 'spark-out', '--summary', 'spark.json', '--report', 'spark.html'], { cwd: out.dir });
    expect(merged.code, merged.stderr).toBeLessThan(2);
    expect(readFileSync(join(out.dir, 'spark.json'), 'utf8')).toBe(out.single);
    expect(readFileSync(join(out.dir, 'spark.html'), 'utf8')).toBe(out.singleHtml);
    // Hadoop's map outputs, as a quoted glob.
    const hadoop = join(out.dir, 'hadoop-out');
    mkdirSync(hadoop);
    out.results.forEach((r, k) => writeFileSync(join(hadoop, `part-m-0000${k}`), r));
    expect(huashu(['audit', 'merge', 'hadoop-out/part-*', '--report', 'hadoop.html'], { cwd: out.dir }).code).toBeLessThan(2);
    expect(readFileSync(join(out.dir, 'hadoop.html'), 'utf8')).toBe(out.singleHtml);
  });

  it('without --columns a headerless part loses its first record to the header and every row is an error', () => {
    const r = huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1'], { input: csvText(parts[1]!) });
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(parts[1]!.length - 1);
    expect(lines.every((l) => l['status'] === 'error')).toBe(true);
    const fixed = jsonLines(huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1', '--columns', HEADER.join(',')], { input: csvText(parts[1]!) }).stdout);
    expect(fixed).toHaveLength(parts[1]!.length);
    expect(fixed.filter((l) => l['status'] === 'error')).toEqual([]);
  });

  it('with --columns, a header line that is there after all (the first part of a file) is not a row', () => {
    const withHeader = csvText([HEADER, ...parts[0]!]);
    const lines = jsonLines(huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1', '--columns', HEADER.join(',')], { input: withHeader }).stdout);
    expect(lines).toHaveLength(parts[0]!.length);
    expect(lines[0]).toMatchObject({ row: 1, line: 2, status: 'skipped', code: 'customer' });
  });

  it('JSON lines parts with --offset carry the whole input\'s row and line numbers, and merge the same', () => {
    const keys = ['dialogue', 'timestamp', 'agent_name', 'role', 'text', 'ticket'];
    const objects = rows.map((r) => JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, r[i]]))));
    const jparts = cutAtConversations(objects, 4, (o) => (JSON.parse(o) as { dialogue: string }).dialogue);
    const offsets = jparts.map((_, k) => jparts.slice(0, k).reduce((n, p) => n + p.length, 0));
    const out = splitAndMerge('export.jsonl', objects.join('\n') + '\n', jparts.map((p) => p.join('\n') + '\n'), (k) => ['--offset', String(offsets[k]), '--id', 'ticket,dialogue']);
    expect(out.merged).toBe(out.single);
    expect(out.mergedHtml).toBe(out.singleHtml);
    const third = jsonLines(out.results[2]!);
    expect(third[0]).toMatchObject({ row: offsets[2]! + 1, line: offsets[2]! + 1, offset: offsets[2], ids: { ticket: rows[offsets[2]!]![5], dialogue: rows[offsets[2]!]![0] } });
  });

  it('--id passes the export\'s own id columns through; one the header lacks is a usage error', () => {
    const lines = jsonLines(huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1', '--id', 'ticket'], { input: csvText([HEADER, ...rows.slice(0, 4)]) }).stdout);
    expect(lines.map((l) => l['ids'])).toEqual(rows.slice(0, 4).map((r) => ({ ticket: r[5] })));
    writeFileSync(join(tmp, 'ids.csv'), csvText([HEADER, ...rows.slice(0, 4)]));
    huashu(['audit', 'ids.csv', '--jobs', '1', '-q', '--id', 'ticket', '--out', 'ids-findings.jsonl']);
    const findings = jsonLines(readFileSync(join(tmp, 'ids-findings.jsonl'), 'utf8'));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f['ids']).toEqual({ ticket: rows[(f['row'] as number) - 1]![5] });
    const bad = huashu(['audit', '--stdin', '--format', 'jsonl', '--id', 'order_no'], { input: csvText([HEADER, ...rows.slice(0, 4)]) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--id order_no: no such column \(the header has: conversation_id, time, agent, speaker, message, ticket\)/);
  });

  it('names a conversation cut between two parts, and a line that is not a result line by file and line', () => {
    const cut = Math.floor(rows.length / 2) + 1; // inside a conversation of 4 rows
    expect(rows[cut]![0]).toBe(rows[cut - 1]![0]);
    const dir = mkdtempSync(join(tmp, 'cut-'));
    [rows.slice(0, cut), rows.slice(cut)].forEach((part, k) => {
      const r = huashu(['audit', '--stdin', '--format', 'jsonl', '--jobs', '1', '--columns', HEADER.join(',')], { input: csvText(part) });
      writeFileSync(join(dir, `r${k}.jsonl`), r.stdout);
    });
    const merged = huashu(['audit', 'merge', 'r0.jsonl', 'r1.jsonl', '-f', 'json'], { cwd: dir });
    expect(merged.stderr).toContain(`1 conversation runs across two parts: '${rows[cut]![0]}' (r0.jsonl | r1.jsonl)`);
    expect((JSON.parse(merged.stdout) as { rows: number }).rows).toBe(rows.length);
    writeFileSync(join(dir, 'bad.jsonl'), readFileSync(join(dir, 'r0.jsonl'), 'utf8') + '{"hello": 1}\n');
    const bad = huashu(['audit', 'merge', 'bad.jsonl'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`bad.jsonl:${cut + 1}: not a result line of huashu audit --format jsonl`);
  });
});

describe.skipIf(!existsSync(CORPUS))('audit merge on the shared corpus (research data, read in place)', () => {
  it('JSON lines cut into 4 parts: merged summary and report == the single run', () => {
    const name = 'csds_jd.jsonl';
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const parts = cutAtConversations(lines, 4, (l) => (JSON.parse(l) as { dialogue_id: string }).dialogue_id).map((p) => p.join('\n') + '\n');
    const out = splitAndMerge(name, text, parts, (k) => ['--part', `part-${k}`]);
    expect(JSON.parse(out.merged)).toEqual(JSON.parse(out.single));
    expect(out.merged).toBe(out.single);
    expect(out.mergedHtml).toBe(out.singleHtml);
  });

  it('CSV cut into 4 parts without a header line (--columns): merged summary and report == the single run', () => {
    const name = 'transcripts-sample.csv';
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const [header, ...records] = parseCsv(text, { relax_column_count: true }) as string[][];
    const conversation = header!.indexOf('conversation_id');
    const parts = cutAtConversations(records, 4, (r) => r[conversation]).map(csvText);
    const out = splitAndMerge(name, text, parts, (k) => ['--columns', header!.join(','), '--part', `part-${k}`]);
    const single = JSON.parse(out.single) as { rows: number; findings: number };
    expect(single.rows).toBe(records.length);
    expect(single.findings).toBeGreaterThan(0);
    expect(JSON.parse(out.merged)).toEqual(single);
    expect(out.merged).toBe(out.single);
    expect(out.mergedHtml).toBe(out.singleHtml);
  });
});
