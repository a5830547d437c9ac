// `huashu audit` through the real CLI (node bin/huashu.js against dist/) on the fixtures in
// fixtures/audit/, and on the shared research corpus when ../shared/corpus is there.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/engine/lint.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleSet } from '../src/rules/compile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const FIX = join(ROOT, 'fixtures', 'audit');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function huashu(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; timeout?: number } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: options.input ?? '', encoding: 'utf8', env, timeout: options.timeout ?? 60_000, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  rows: number;
  audited: number;
  skipped: number;
  errors: number;
  findings: number;
  skippedBy: Record<string, number>;
  errorsBy: Record<string, number>;
  otherRoles: Record<string, number>;
  byCategory: Record<string, number>;
  byRule: { rule: string; findings: number }[];
  byAgent: { agent: string; replies: number; findings: number; rate: number; worstCategory?: string }[];
  byDay: { day: string; replies: number; findings: number }[];
  topPhrases: { phrase: string; count: number }[];
  files: { file: string; format?: string; encoding?: string; gzip?: boolean; columns?: Record<string, string>; rows: number; error?: string }[];
}

const jsonLines = <T = Record<string, unknown>>(text: string): T[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

function expectLedger(s: Summary): void {
  expect(s.rows).toBe(s.audited + s.skipped + s.errors);
  expect(s.files.reduce((n, f) => n + f.rows, 0)).toBe(s.rows);
}

let tmp: string;
let rules: RuleSet;
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-audit-'));
  rules = await loadRules();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const audit = (args: string[], options?: Parameters<typeof huashu>[1]) => {
  const summary = join(tmp, `summary-${Math.random().toString(36).slice(2)}.json`);
  const r = huashu(['audit', '--jobs', '1', '--summary', summary, ...args], options);
  return { ...r, summary: existsSync(summary) ? (JSON.parse(readFileSync(summary, 'utf8')) as Summary) : undefined };
};

describe('inputs, encodings and column detection', () => {
  it.each([
    ['helpdesk-simplified.csv', 'csv', 'utf-8', { text: 'message', role: 'speaker', conversation: 'conversation_id', agent: 'agent', time: 'timestamp' }, { rows: 13, audited: 6, skipped: 7 }],
    ['dialogues-traditional.jsonl', 'jsonl', 'utf-8', { text: '內容', role: '角色', agent: '客服專員', time: '時間', conversation: '對話' }, { rows: 6, audited: 3, skipped: 3 }],
    ['gbk-export.csv', 'csv', 'gb18030', { text: '内容', role: '角色', conversation: '会话', agent: '客服', time: '时间' }, { rows: 4, audited: 2, skipped: 2 }],
    ['big5-export.csv', 'csv', 'big5', { text: '內容', role: '角色', conversation: '會話', agent: '客服專員', time: '時間' }, { rows: 4, audited: 2, skipped: 2 }],
    ['utf16le-bom.tsv', 'tsv', 'utf-16le', { text: 'content', role: 'sender', conversation: 'session_id', agent: 'agent_name' }, { rows: 3, audited: 2, skipped: 1 }],
    ['turns.jsonl.gz', 'jsonl', 'utf-8', { text: 'text', role: 'role', conversation: 'dialogue_id', turn: 'turn' }, { rows: 4, audited: 2, skipped: 2 }],
    ['array.json', 'json', 'utf-8', { text: 'body', role: 'from', conversation: 'conversation' }, { rows: 3, audited: 2, skipped: 1 }],
  ])('%s: %s, %s, columns recognised and said on stderr', (name, format, encoding, columns, counts) => {
    const r = audit([join('fixtures/audit', name)]);
    expect(r.code).toBe(1); // every fixture has an error-level finding
    const s = r.summary!;
    expect(s).toMatchObject({ ...counts, errors: 0 });
    expectLedger(s);
    expect(s.files[0]).toMatchObject({ format, encoding, columns });
    expect(r.stderr).toContain(`${join('fixtures/audit', name)}: ${format}, ${encoding}`);
    expect(r.stderr).toContain(`text=${columns.text}`);
    expect(s.findings).toBeGreaterThan(0);
  });

  it('decodes GBK and Big5 to the same findings as the UTF-8 text', () => {
    const gbk = huashu(['audit', '-j', '1', '-q', 'fixtures/audit/gbk-export.csv', '--format', 'jsonl']);
    const excerpts = jsonLines<{ findings?: { excerpt: string }[] }>(gbk.stdout).flatMap((l) => l.findings ?? []).map((f) => f.excerpt);
    expect(excerpts).toEqual(lintText('退款一定会在今天到账，我保证。', rules).map((f) => f.excerpt));
    const big5 = huashu(['audit', '-j', '1', '-q', 'fixtures/audit/big5-export.csv', '--format', 'jsonl']);
    const b = jsonLines<{ findings?: { excerpt: string; message: string }[] }>(big5.stdout).flatMap((l) => l.findings ?? []);
    expect(b.map((f) => f.excerpt)).toEqual(lintText('這個問題不歸我們管，您自己去問物流公司吧。', rules).map((f) => f.excerpt));
    expect(b.map((f) => f.excerpt)).toContain('不歸我們管');
    expect(b[0]!.message).toMatch(/客戶/); // rendered in the reply's own (traditional) script
  });

  it('--encoding overrides detection; an unknown one is a usage error', () => {
    const wrong = audit(['fixtures/audit/gbk-export.csv', '--encoding', 'utf-8']);
    expect(wrong.code).toBe(2);
    expect(wrong.summary!.errorsBy['undecodable']).toBeGreaterThan(0);
    expectLedger(wrong.summary!);
    const right = audit(['fixtures/audit/gbk-export.csv', '--encoding', 'gbk']);
    expect(right.summary).toMatchObject({ rows: 4, audited: 2, errors: 0 });
    const bad = huashu(['audit', 'fixtures/audit/gbk-export.csv', '--encoding', 'klingon']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe("huashu: --encoding: unknown encoding 'klingon' (try utf-8, utf-16le, gb18030, gbk, big5)\n");
  });

  it('named columns and role values: --text, --role, --agent-role, --customer-role, --conversation', () => {
    const file = join(tmp, 'jddc.jsonl');
    writeFileSync(
      file,
      [
        { session: 's1', waiter_send: 0, content: '什么时候发货' },
        { session: 's1', waiter_send: 1, content: '一定会在今天发货的，我保证' },
        { session: 's1', waiter_send: 2, content: '系统提示：会话结束' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
    );
    const r = audit([file, '--text', 'content', '--role', 'waiter_send', '--agent-role', '1', '--customer-role', '0', '--conversation', 'session', '--out', join(tmp, 'jddc-findings.jsonl')]);
    expect(r.summary).toMatchObject({ rows: 3, audited: 1, skipped: 2, skippedBy: { customer: 1, 'other-role': 1 }, otherRoles: { '2': 1 } });
    const findings = jsonLines<{ customer: string; conversation: string; turn: string }>(readFileSync(join(tmp, 'jddc-findings.jsonl'), 'utf8'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ customer: '什么时候发货', conversation: 's1', turn: '2' });
  });

  it('a column option naming no column, or a column the header has twice, is one usage error, not an error per row', () => {
    const out = join(tmp, 'mapping-findings.jsonl');
    writeFileSync(out, 'old\n');
    for (const jobs of ['1', '2']) {
      const r = huashu(['audit', '-j', jobs, 'fixtures/audit/helpdesk-simplified.csv', '--text', 'nonexistent', '--out', out]);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toBe('huashu: fixtures/audit/helpdesk-simplified.csv: --text nonexistent: no such column (the header has: conversation_id, timestamp, agent, speaker, message)\n');
      expect(readFileSync(out, 'utf8')).toBe('old\n');
    }
    const json = huashu(['audit', '-j', '1', 'fixtures/audit/dialogues-traditional.jsonl', '--role', 'who']);
    expect(json).toMatchObject({ code: 2, stdout: '' });
    expect(json.stderr).toMatch(/^huashu: fixtures\/audit\/dialogues-traditional\.jsonl: --role who: no such column \(the objects have: .*角色.*\)\n$/);

    const dup = join(tmp, 'duplicate-header.csv');
    writeFileSync(dup, 'id,message,speaker,message\n1,您好,agent,我保证\n');
    const twice = huashu(['audit', '-j', '1', dup]);
    expect(twice).toMatchObject({ code: 2, stdout: '' });
    expect(twice.stderr).toBe(`huashu: ${dup}: the header has 'message' (the text column) 2 times (fields 2, 4): rename all but one\n`);
    // A repeated column that is not read is no problem.
    writeFileSync(dup, 'id,message,note,note\n1,您好,a,b\n');
    expect(huashu(['audit', '-j', '1', '-q', dup]).code).toBe(0);
  });

  it('reads standard input and sniffs its format; directories and globs find exports', () => {
    const csv = readFileSync(join(FIX, 'helpdesk-simplified.csv'));
    const r = audit(['--stdin'], { input: csv });
    expect(r.summary).toMatchObject({ rows: 13, audited: 6 });
    expect(r.summary!.files[0]).toMatchObject({ file: '<stdin>', format: 'csv' });
    const gz = audit(['-'], { input: gzipSync(csv) });
    expect(gz.summary).toMatchObject({ rows: 13, audited: 6, files: [{ gzip: true }] });
    const dir = audit(['fixtures/audit', '--errors', join(tmp, 'dir-errors.jsonl')]);
    const names = dir.summary!.files.map((f) => f.file.split('/').pop());
    expect(names).toEqual(readdirSync(FIX).filter((f) => /\.(csv|tsv|jsonl|json)(\.gz)?$/.test(f)).sort());
    expectLedger(dir.summary!);
    const glob = audit(['fixtures/audit/*.csv']);
    expect(glob.summary!.files.map((f) => f.file)).toEqual(['fixtures/audit/big5-export.csv', 'fixtures/audit/broken.csv', 'fixtures/audit/gbk-export.csv', 'fixtures/audit/helpdesk-simplified.csv']);
    const missing = audit(['fixtures/audit/nope.csv', 'fixtures/audit/array.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('huashu: fixtures/audit/nope.csv: no such file or directory');
    expect(missing.summary).toMatchObject({ rows: 3, audited: 2 });
    const noExports = audit(['fixtures/drafts']);
    expect(noExports.code).toBe(2);
    expect(noExports.stderr).toContain('huashu: fixtures/drafts: no .csv, .tsv, .jsonl or .json files in this directory');
  });
});

describe('nothing is lost', () => {
  it('broken CSV: every bad row reported with file, row, line and reason; every good row audited', () => {
    const errors = join(tmp, 'broken-errors.jsonl');
    const out = join(tmp, 'broken-findings.jsonl');
    const r = audit(['fixtures/audit/broken.csv', '--errors', errors, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huashu: 6 rows could not be audited (see');
    const s = r.summary!;
    expect(s).toMatchObject({ rows: 13, audited: 4, skipped: 3, errors: 6, errorsBy: { 'bad-quoting': 3, 'missing-text': 1, undecodable: 1, 'field-count': 1 } });
    expectLedger(s);
    const listed = jsonLines<{ file: string; row: number; line: number; code: string; reason: string }>(readFileSync(errors, 'utf8'));
    expect(listed.map((e) => [e.line, e.code])).toEqual([
      [4, 'bad-quoting'],
      [5, 'missing-text'],
      [6, 'undecodable'],
      [7, 'bad-quoting'],
      [11, 'bad-quoting'],
      [14, 'field-count'],
    ]);
    for (const e of listed) {
      expect(e.file).toBe('fixtures/audit/broken.csv');
      expect(e.reason.length).toBeGreaterThan(5);
    }
    // The good agent rows (lines 3, 10, 13, 15), including those after the quote that never closed.
    const flagged = jsonLines<{ fileLine: number; excerpt: string }>(readFileSync(out, 'utf8'));
    expect(flagged.map((f) => [f.fileLine, f.excerpt])).toEqual([
      [3, '一定'],
      [13, '都怪'],
    ]);
  });

  it('a valid quoted field of 1,500 lines is one row, not an unclosed quote', () => {
    const field = Array.from({ length: 1500 }, (_, i) => `第${i}行：我们会尽快处理`).join('\n');
    const file = join(tmp, 'long-field.csv');
    writeFileSync(file, `id,speaker,message\n1,agent,"${field}\n我保证明天一定送到"\n2,agent,都怪物流\n`);
    for (const jobs of ['1', '2']) {
      const r = huashu(['audit', '-j', jobs, '-q', '--format', 'jsonl', file]);
      const rows = jsonLines<{ line: number; status: string; findings: { excerpt: string }[] }>(r.stdout);
      expect(rows.map((x) => [x.line, x.status])).toEqual([
        [2, 'audited'],
        [1503, 'audited'],
      ]);
      expect(rows[0]!.findings.map((f) => f.excerpt)).toContain('保证');
    }
  });

  describe('a JSON array export with a syntax error in the middle (1,000 items, ~140 KB)', () => {
    const items = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify({ conversation: `c${Math.floor(i / 2)}`, from: i % 2 ? 'agent' : 'customer', body: i % 2 ? `第${i}条：我保证明天一定送到，请您耐心等待，我们会尽快处理您的订单问题。` : `我的订单${i}怎么还没到？已经等了好几天了，请尽快处理。` }, null, 1),
    );
    /** The export with item 601 (1-based) replaced; its first line is line 1 + 600 items' lines + 1. */
    const withItem601 = (bad: string) => '[\n' + [...items.slice(0, 600), bad, ...items.slice(601)].join(',\n') + '\n]\n';
    const item601Line = 2 + items.slice(0, 600).join(',\n').split('\n').length;
    const run = (name: string, text: string) => {
      const file = join(tmp, name);
      writeFileSync(file, text);
      const [one, two] = ['1', '2'].map((jobs) => huashu(['audit', '-j', jobs, '--batch-size', '64', '-q', '--format', 'jsonl', file]));
      expect(two!.stdout).toBe(one!.stdout);
      return jsonLines<{ line: number; status: string; reason?: string }>(one!.stdout);
    };

    it('an item that does not parse is one error row in its place, with its line; every other item is audited', () => {
      expect(Buffer.byteLength(withItem601(items[600]!))).toBeGreaterThan(130_000);
      const rows = run('array-bad-item.json', withItem601(items[600]!.replace('"from"', '"from",, ')));
      expect(rows).toHaveLength(1000);
      expect(rows.filter((r) => r.status === 'error')).toEqual([
        expect.objectContaining({ line: 601, reason: `invalid JSON in item 601, at the item starting at line ${item601Line}, column 1: Unexpected token ','` }),
      ]);
      const colon = run('array-bad-colon.json', withItem601(items[600]!.replace('"from":', '"from"')));
      expect(colon.filter((r) => r.status === 'error')).toEqual([
        expect.objectContaining({ line: 601, reason: expect.stringMatching(new RegExp(`^invalid JSON in item 601, at line ${item601Line + 2}, column 9: \\S`)) }),
      ]);
      expect(rows.filter((r) => r.status === 'audited')).toHaveLength(500);
    });

    it('broken brackets: every item before them is audited, then one error at the true line and item', () => {
      const rows = run('array-bad-brackets.json', withItem601(items[600]!.replace(/\}$/, ']')));
      expect(rows).toHaveLength(601);
      expect(rows.slice(0, 600).every((r) => r.status !== 'error')).toBe(true);
      expect(rows[600]).toMatchObject({ line: 601, status: 'error', reason: expect.stringMatching(new RegExp(`^invalid JSON at line ${item601Line + 4}, column 1 \\(item 601\\): ']' closes a '\\{'; the rest of the file is not read$`)) });
    });

    it('a string that never ends, or a file cut off inside an item, loses only the items from there on', () => {
      const open = run('array-open-string.json', withItem601(items[600]!.replace(/"\n\}$/, '\n}')));
      expect(open).toHaveLength(601);
      expect(open[600]).toMatchObject({ line: 601, status: 'error', reason: expect.stringContaining('a line break inside a string') });
      const whole = withItem601(items[600]!);
      const cut = run('array-cut.json', whole.slice(0, whole.indexOf(items[600]!) + 40));
      expect(cut).toHaveLength(601);
      expect(cut[600]).toMatchObject({ line: 601, status: 'error', reason: expect.stringContaining('the file ends inside an item') });
    });
  });

  it('a literal U+FFFD in valid text is audited; only bytes that do not decode make a row undecodable', () => {
    const rows = (jobs: string, file: string) =>
      jsonLines<{ line: number; status: string; code?: string }>(huashu(['audit', '-j', jobs, '--batch-size', '2', '-q', '--format', 'jsonl', file]).stdout).map((r) => [r.line, r.status, r.code]);
    const expected = [
      [2, 'audited', undefined],
      [3, 'error', 'undecodable'],
      [4, 'audited', undefined],
    ];
    const csv = ['id,speaker,message\n1,agent,"乱码\uFFFD符号，我保证送到"\n2,agent,坏字节', '\n3,agent,我们会尽快处理\n'];
    const jsonl = ['{"message":"x"}\n{"speaker":"agent","message":"乱码\uFFFD符号，我保证送到"}\n{"speaker":"agent","message":"坏字节', '"}\n{"speaker":"agent","message":"好"}\n'];
    for (const [ext, [head, tail]] of [['csv', csv], ['jsonl', jsonl]] as const) {
      for (const encoding of ['utf-8', 'gb18030']) {
        const file = join(tmp, `fffd-${encoding}.${ext}`);
        // 0xFF is no lead byte in UTF-8 or GB18030.
        writeFileSync(file, Buffer.concat([iconv.encode(head, encoding), Buffer.from([0xff]), iconv.encode(tail, encoding)]));
        for (const jobs of ['1', '2']) expect(rows(jobs, file).slice(-3), `${ext} ${encoding} --jobs ${jobs}`).toEqual(expected);
      }
    }
  });

  it('truncated gzip: the rows before the break are audited, the break is one error', () => {
    const errors = join(tmp, 'gz-errors.jsonl');
    const r = audit(['fixtures/audit/truncated.jsonl.gz', '--errors', errors]);
    expect(r.code).toBe(2);
    const s = r.summary!;
    expectLedger(s);
    expect(s.errors).toBe(1);
    expect(s.audited).toBeGreaterThan(50);
    const [e] = jsonLines<{ code: string; line: number; reason: string }>(readFileSync(errors, 'utf8'));
    expect(e).toMatchObject({ code: 'truncated-gzip', line: s.rows });
    expect(r.stderr).toContain('truncated gzip data');
  });

  it('a corrupted copy of a real export: bad rows reported, the rest audited', () => {
    const lines = readFileSync(join(FIX, 'helpdesk-simplified.csv'), 'utf8').split('\r\n');
    const corrupted = Buffer.concat([
      Buffer.from([lines[0], lines[1], 'c9,2024-05-09 10:00:00,王丽,agent,坏"引号', lines[2], 'c9,2024-05-09,王丽', lines[3]].join('\r\n') + '\r\n'),
      Buffer.from('c9,2024-05-09,王丽,agent,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('坏字节\r\n'),
      Buffer.from(lines.slice(4).join('\r\n')),
    ]);
    const file = join(tmp, 'corrupted.csv.gz');
    writeFileSync(file, gzipSync(corrupted));
    const r = audit([file]);
    expect(r.summary).toMatchObject({ rows: 16, audited: 6, skipped: 7, errors: 3 });
    expectLedger(r.summary!);
  });
});

describe('findings, context and order', () => {
  it('flagged agent turns match `huashu lint` on the same text, with the preceding customer turn', () => {
    const out = join(tmp, 'simplified-findings.jsonl');
    audit(['fixtures/audit/helpdesk-simplified.csv', '--out', out]);
    const rows = parseCsv(readFileSync(join(FIX, 'helpdesk-simplified.csv')), { columns: true }) as Record<string, string>[];
    const expected: unknown[] = [];
    let customer: Record<string, string | undefined> = {};
    rows.forEach((row, i) => {
      if (row['speaker'] === 'customer') customer[row['conversation_id']!] = row['message'];
      if (row['speaker'] !== 'agent') return;
      for (const f of lintText(row['message']!, rules)) {
        expected.push({ row: i + 1, conversation: row['conversation_id'], agent: row['agent'], time: row['timestamp'], rule: f.ruleId, excerpt: f.excerpt, line: f.line, column: f.column, offset: f.offset, customer: customer[row['conversation_id']!] });
      }
    });
    const got = jsonLines<Record<string, unknown>>(readFileSync(out, 'utf8')).map(({ row, conversation, agent, time, rule, excerpt, line, column, offset, customer }) => ({ row, conversation, agent, time, rule, excerpt, line, column, offset, customer }));
    expect(got).toEqual(expected);
    // The multi-line reply (CSV field with a line break): line 2 of the reply, column 2.
    expect(got.find((f) => f['excerpt'] === '您自己没看清')).toMatchObject({ line: 2, column: 2, customer: '第一行\n第二行：我要退货' });
    const raw = jsonLines<{ excerpt: string; before: string; after: string }>(readFileSync(out, 'utf8'));
    expect(raw.find((f) => f.excerpt === '一定')).toMatchObject({ before: '您好，您的包裹', after: '会在明天送到，我保证。' });
    customer = {};
  });

  it('--jobs 2 with small batches gives the same output, in input order, as --jobs 1', () => {
    const files = ['fixtures/audit/helpdesk-simplified.csv', 'fixtures/audit/broken.csv', 'fixtures/audit/truncated.jsonl.gz', 'fixtures/audit/dialogues-traditional.jsonl'];
    const one = huashu(['audit', '-j', '1', '-q', '--format', 'jsonl', ...files]);
    const two = huashu(['audit', '-j', '2', '--batch-size', '3', '-q', '--format', 'jsonl', ...files]);
    expect(two.stdout).toBe(one.stdout);
    const rows = jsonLines<{ file: string; row: number }>(one.stdout);
    expect(rows.length).toBeGreaterThan(200);
    rows.forEach((r, i) => {
      if (i > 0 && rows[i - 1]!.file === r.file) expect(r.row).toBe(rows[i - 1]!.row + 1);
    });
  });

  /**
   * Result lines of `text` audited as UTF-8 (with a BOM) and GB18030, whose records are found in the bytes
   * (readers.ts jsonlBlocks, csvBlocks), and as UTF-16, which is decoded first and framed as text; each
   * with --jobs 1 and --jobs 2 in batches of 2. The UTF-16 --jobs 1 run first.
   */
  const withoutInput = (out: string) =>
    out
      .split('\n')
      .map((l) => (l.includes('"input":') ? JSON.stringify({ ...(JSON.parse(l) as object), input: undefined }) : l))
      .join('\n');

  function acrossEncodings(ext: string, text: string): string[] {
    return [
      ['utf8', Buffer.from('\uFEFF' + text)],
      ['gb18030', iconv.encode(text, 'gb18030')],
      ['utf16', iconv.encode(text, 'utf-16le', { addBOM: true })],
    ]
      .reverse()
      .flatMap(([name, bytes]) => {
        const file = join(tmp, `${name as string}.${ext}`);
        writeFileSync(file, bytes as Buffer);
        // (The first line's `input` says how the file was read: its encoding differs by design.)
        return ['1', '2'].map((jobs) => withoutInput(huashu(['audit', '-j', jobs, '--batch-size', '2', '-q', '--format', 'jsonl', file]).stdout.replaceAll(file, 'FILE')));
      });
  }

  it('JSON lines found in the bytes (UTF-8, GB18030) and in decoded text (UTF-16) give the same results', () => {
    const lines = readFileSync(join(FIX, 'dialogues-traditional.jsonl'), 'utf8').replace(/^\uFEFF/, '').split('\n');
    // CRLF line ends, a blank line, a broken line and no final line feed.
    const damaged = [...lines.slice(0, 4), '', '{"role": "agent", "text": ', ...lines.slice(4)].join('\r\n').replace(/\r\n$/, '');
    const [expected, ...others] = acrossEncodings('jsonl', damaged);
    expect(jsonLines(expected!).length).toBe(damaged.split('\r\n').length);
    expect(expected).toContain('"code":"invalid-json"');
    expect(expected).toContain('"code":"blank"');
    for (const out of others) expect(out).toBe(expected);
  });

  it('CSV framed in the bytes (UTF-8, GB18030) and in decoded text (UTF-16) gives the same results', () => {
    // helpdesk-simplified.csv has quoted fields with line breaks; add a stray quote, an empty line and a
    // quote that never closes, which swallows the rows after it until the end of the file.
    const lines = readFileSync(join(FIX, 'helpdesk-simplified.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    const damaged = [...lines.slice(0, 5), '', 'x1,2024-05-02 10:00,小王,agent,坏 "stray" 引号', ...lines.slice(5), 'x2,2024-05-02 10:00,小王,agent,"没有闭合', ...lines.slice(1, 4)].join('\r\n');
    const [expected, ...others] = acrossEncodings('csv', damaged);
    expect(expected).toContain('"code":"bad-quoting"');
    expect(jsonLines<{ status: string }>(expected!).filter((r) => r.status === 'audited').length).toBeGreaterThan(5);
    for (const out of others) expect(out).toBe(expected);
  });

  it('CSV and TSV with CR-only line ends (old Mac exports) give the rows CRLF gives, in every encoding and --jobs', () => {
    const crlf = readFileSync(join(FIX, 'helpdesk-simplified.csv'), 'utf8').replace(/^\uFEFF/, '');
    expect(crlf).toContain('\r\n');
    for (const [ext, text] of [
      ['csv', crlf],
      ['tsv', crlf.replaceAll(',', '\t')],
    ] as const) {
      const [expected, ...others] = acrossEncodings(ext, text);
      expect(jsonLines(expected!).length).toBe(13);
      for (const out of acrossEncodings(ext, text.replaceAll('\r\n', '\r'))) expect(out).toBe(expected);
      for (const out of others) expect(out).toBe(expected);
    }
  });

  it('summary breakdowns: per category, rule, phrase, agent (worst category) and day', () => {
    const r = audit(['fixtures/audit/helpdesk-simplified.csv']);
    const s = r.summary!;
    expect(Object.keys(s).slice(0, 4)).toEqual(['rows', 'audited', 'skipped', 'errors']);
    expect(s.byCategory).toEqual({ overpromise: 2, negative: 2, blame: 2 });
    expect(s.byAgent.map((a) => [a.agent, a.replies, a.findings])).toEqual([
      ['王丽', 4, 4],
      ['李强', 2, 2],
    ]);
    expect(s.byDay.map((d) => [d.day, d.replies, d.findings])).toEqual([
      ['2024-05-01', 3, 2],
      ['2024-05-02', 1, 2],
      ['2024-05-03', 2, 2],
    ]);
    expect(s.skippedBy).toEqual({ customer: 5, 'empty-text': 1, 'other-role': 1 });
    expect(r.stdout).toMatch(/^huashu audit: 13 rows = 6 audited \+ 7 skipped \+ 0 errors/);
    expect(r.stdout).toMatch(/王丽\s+4\s+4\s+100\.00\s+0\s+[\d.]+\s+[\d.]+\s+overpromise/);
    expect(r.stdout).toMatch(/2024-05-02\s+1\s+2\s+200\.00/);
  });

  it('the terminal table aligns columns in terminal cells, whatever the agents are called', async () => {
    // Names beyond ASCII and CJK (an emoji, a combining accent, full-width letters) are measured by
    // string-width; the others by huashu's own cell counts. Either way the next column lines up.
    const agents = ['王丽', 'Jose\u0301', '小🐱', 'ＡＢ', 'li'];
    const input = agents.map((agent, i) => JSON.stringify({ id: `c${i}`, agent, role: 'agent', text: '您的包裹一定会在明天送到，我保证。' })).join('\n');
    const file = join(tmp, 'agents.jsonl');
    writeFileSync(file, input);
    const r = audit([file, '--agent', 'agent']);
    expect(r.code).toBe(1);
    const { default: stringWidth } = await import('string-width');
    const rows = r.stdout.split('\n').filter((l) => agents.some((a) => l.startsWith(`  ${a} `)));
    expect(rows.length).toBe(agents.length);
    const columnOfReplies = rows.map((l) => stringWidth(l.slice(0, l.search(/ 1 /) + 1)));
    expect(new Set(columnOfReplies).size).toBe(1);
  });
});

describe('streaming filter mode (--stdin --format jsonl)', () => {
  const input = [
    JSON.stringify({ dialogue_id: 'm1', turn: 1, role: 'customer', text: '快递怎么还没到' }),
    JSON.stringify({ dialogue_id: 'm1', turn: 2, role: 'agent', text: '您的包裹一定会在明天送到，我保证。' }),
    '{"dialogue_id": "m1", "turn": 3, "role": "agent", "text": 不是JSON}',
    '',
    JSON.stringify({ dialogue_id: 'm2', turn: 1, role: 'agent', text: '感谢您的耐心等待。' }),
    JSON.stringify({ dialogue_id: 'm2', turn: 2, role: 'agent', text: '都怪物流太慢了。' }),
  ];

  it('one result line per input line, in order, nothing else, exit 0', () => {
    const r = huashu(['audit', '--stdin', '--format', 'jsonl'], { input: input.join('\n') + '\n' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = jsonLines<{ line: number; status: string; code?: string; findings?: { excerpt: string }[]; customer?: string }>(r.stdout);
    expect(r.stdout.split('\n').length - 1).toBe(input.length);
    expect(out.map((o) => [o.line, o.status, o.code])).toEqual([
      [1, 'skipped', 'customer'],
      [2, 'audited', undefined],
      [3, 'error', 'invalid-json'],
      [4, 'skipped', 'blank'],
      [5, 'audited', undefined],
      [6, 'audited', undefined],
    ]);
    expect(out[1]!.findings!.map((f) => f.excerpt)).toEqual(['一定', '保证']);
    expect(out[1]!.customer).toBe('快递怎么还没到');
    expect(out[4]!.findings).toEqual([]);
  });

  it('as a mapper: splits processed separately give the same results as the whole', () => {
    const whole = jsonLines<Record<string, unknown>>(huashu(['audit', '--stdin', '-f', 'jsonl', '-j', '2'], { input: input.join('\n') + '\n' }).stdout);
    // Hadoop Streaming / RDD.pipe: each split goes through its own process; outputs are concatenated.
    const parts = [input.slice(0, 2), input.slice(2)].map((part) => {
      const r = huashu(['audit', '--stdin', '-f', 'jsonl', '-j', '1'], { input: part.join('\n') + '\n' });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return jsonLines<Record<string, unknown>>(r.stdout);
    });
    // Rows and lines count within each split, and each split's first line says how it was read (`input`).
    const strip = ({ row: _row, line: _line, input: _input, ...rest }: Record<string, unknown>) => rest;
    expect(parts.flat().map(strip)).toEqual(whole.map(strip));
  });
});

describe('outputs', () => {
  it('output files are written atomically: kept mode, nothing partial on failure', () => {
    const out = join(tmp, 'atomic.jsonl');
    writeFileSync(out, 'old\n');
    chmodSync(out, 0o640);
    audit(['fixtures/audit/helpdesk-simplified.csv', '--out', out]);
    expect(readFileSync(out, 'utf8')).toContain('"rule":');
    expect(statSync(out).mode & 0o777).toBe(0o640);
    // A run that fails (an unknown --only name) leaves the old file and no temporary files behind.
    writeFileSync(out, 'old\n');
    const r = huashu(['audit', 'fixtures/audit/helpdesk-simplified.csv', '--out', out, '--only', 'nope']);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // --out is opened first, then --report fails: the temporary --out file is removed again.
    const dir = huashu(['audit', 'fixtures/audit/array.json', '--out', out, '--report', join(tmp, 'no', 'such', 'dir', 'r.html')]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/^huashu: --report .*r\.html: cannot write \(ENOENT\)\n$/);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // An output that is a symbolic link stays one: the file it points at is replaced.
    const link = join(tmp, 'link.jsonl');
    symlinkSync(out, link);
    audit(['fixtures/audit/helpdesk-simplified.csv', '--out', link]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('"rule":');
  });

  it('progress only on a terminal: none when stderr is a pipe, a final line on a TTY', () => {
    const piped = huashu(['audit', 'fixtures/audit/array.json', '-j', '1']);
    expect(piped.stderr).toBe('huashu: fixtures/audit/array.json: json, utf-8; text=body, role=from, conversation=conversation\n');
    const node = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} audit fixtures/audit/helpdesk-simplified.csv -j 1`;
    const onTty = (cmd: string) => spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    const tty = onTty(`stty cols 120 rows 40; ${node} >/dev/null`);
    if (tty.error) return; // no `script` here: nothing to check
    expect(tty.status).toBe(1);
    expect(tty.stdout).toMatch(/13 rows · [\d,]+ rows\/s · 6 findings · 1\.2 KB \/ 1\.2 KB/);
    expect(onTty(`stty cols 120 rows 40; ${node} -q >/dev/null`).stdout).not.toContain('rows/s');
    // A pseudo-terminal without a width: no progress line, and no hang.
    const narrow = onTty(`stty cols 0; ${node} >/dev/null`);
    expect(narrow.status).toBe(1);
    expect(narrow.stdout).not.toContain('rows/s');
  });

  it('the HTML report is one self-contained file, with the data escaped', () => {
    const file = join(tmp, 'xss.jsonl');
    writeFileSync(file, JSON.stringify({ role: 'agent', agent: '<b>eve</b>', text: '<script>alert(1)</script>一定会送到，我保证 & "好"' }) + '\n');
    const report = join(tmp, 'xss.html');
    audit([file, '--report', report]);
    const html = readFileSync(report, 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('…pt&gt;alert(1)&lt;/script&gt;<mark');
    expect(html).toContain('&lt;b&gt;eve&lt;/b&gt;');
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\//i);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
});

// Headless Chromium (Debian's `chromium`; .ci/run installs it) renders the report; the screenshot must
// show the bar charts in their category colours and the trend line.
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
describe.skipIf(!chromium)('HTML report in headless Chromium', () => {
  it('renders the charts', async () => {
    const report = join(tmp, 'render.html');
    audit(['fixtures/audit/helpdesk-simplified.csv', 'fixtures/audit/dialogues-traditional.jsonl', '--report', report]);
    const png = join(tmp, 'render.png');
    const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1000,1800', `--screenshot=${png}`, `file://${report}`], { encoding: 'utf8', timeout: 90_000 });
    expect(existsSync(png), r.stderr).toBe(true);
    const { PNG } = await import('pngjs');
    const image = PNG.sync.read(readFileSync(png));
    const counts = new Map<string, number>();
    for (let i = 0; i < image.data.length; i += 4) {
      const hex = '#' + [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('');
      counts.set(hex, (counts.get(hex) ?? 0) + 1);
    }
    // overpromise, negative, blame bars (and the trend line, drawn in the overpromise colour)
    for (const color of ['#d9480f', '#1971c2', '#9c36b5']) expect(counts.get(color) ?? 0, color).toBeGreaterThan(500);
  }, 120_000);
});
if (!chromium) console.warn('audit.test.ts: no Chromium installed (apt-get install chromium): the HTML render test is skipped');

// The shared research corpus (../shared/corpus): real dialogues, never copied into the project.
describe.skipIf(!existsSync(CORPUS))('shared corpus', () => {
  it('all three datasets: rows = audited + skipped + errors, and flagged turns match lint', () => {
    const files = ['csds_jd.jsonl', 'stc3_weibo_helpdesk.jsonl', 'jddc_chat_sample.jsonl'].map((f) => join(CORPUS, f));
    const results = join(tmp, 'corpus-results.jsonl');
    const r = huashu(['audit', '-j', '2', '-q', '--format', 'jsonl', ...files], { timeout: 240_000 });
    writeFileSync(results, r.stdout);
    expect(r.code).toBe(0);
    const out = jsonLines<{ status: string; findings?: { rule: string; offset: number }[] }>(r.stdout);
    const turns = files.flatMap((f) => jsonLines<{ role: string; text: string; dialogue_id: string }>(readFileSync(f, 'utf8')));
    expect(out.length).toBe(turns.length);
    const agent = turns.filter((t) => t.role === 'agent').length;
    expect(out.filter((o) => o.status === 'audited').length).toBe(agent);
    expect(out.filter((o) => o.status === 'skipped').length).toBe(turns.length - agent);
    expect(out.filter((o) => o.status === 'error').length).toBe(0);
    turns.forEach((t, i) => {
      // a reply that continues the agent's message just before (same dialogue) is judged with it
      const before = turns[i - 1];
      const precedingTurn = before && before.role === 'agent' && before.dialogue_id === t.dialogue_id && t.role === 'agent' ? before.text : undefined;
      // …and with the customer's last message, when it is of the same dialogue
      const customer = turns.slice(0, i).findLast((u) => u.role === 'customer');
      const customerTurn = customer?.dialogue_id === t.dialogue_id ? customer.text : undefined;
      const expected = t.role === 'agent' ? lintText(t.text, rules, { precedingTurn, customerTurn }).map((f) => `${f.ruleId}@${f.offset}`) : undefined;
      expect(out[i]!.findings?.map((f) => `${f.rule}@${f.offset}`), `turn ${i + 1}`).toEqual(expected);
    });
  }, 300_000);

  it('the CSV export sample: 2,028 rows = 994 audited + 1,034 skipped', () => {
    const r = audit([join(CORPUS, 'transcripts-sample.csv'), '-j', '2']);
    expect(r.summary).toMatchObject({ rows: 2028, audited: 994, skipped: 1034, errors: 0 });
    expect(r.summary!.files[0]!.columns).toEqual({ text: 'message', role: 'speaker', conversation: 'conversation_id', time: 'timestamp' });
  });

  it("README's audit example is what the documented command prints on this sample (as chats.csv)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```\n(huashu: chats\.csv:[^]*?)\n  …\n```/.exec(readme)?.[1];
    expect(block, 'the example in README.md').toBeDefined();
    const work = mkdtempSync(join(tmpdir(), 'huashu-readme-'));
    try {
      writeFileSync(join(work, 'chats.csv'), readFileSync(join(CORPUS, 'transcripts-sample.csv')));
      const args = ['audit', 'chats.csv', '--out', 'findings.jsonl', '--errors', 'errors.jsonl', '--summary', 'summary.json', '--report', 'report.html'];
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
      expect(r.status).toBe(0);
      // the timing varies from run to run and machine to machine; every count must match
      const timing = (s: string) => s.replace(/ in [\d.]+ s \([\d,]+ rows\/s\)/, ' in … s (… rows/s)');
      const shown = block!.split('\n');
      const printed = [...r.stderr.split('\n').filter(Boolean), ...r.stdout.split('\n')].slice(0, shown.length);
      expect(printed.map(timing)).toEqual(shown.map(timing));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
if (!existsSync(CORPUS)) console.warn(`audit.test.ts: ${CORPUS} is absent: the shared-corpus tests are skipped`);

/**
 * Audit `rows` at batch sizes 1, 2, 3 and 512 and --jobs 1 and 2: each run's findings per row must be
 * `expected` (null for a skipped row), and every run's output the same.
 */
function auditsAlikeAcrossBatches(name: string, rows: { conversation: string; role: string; text: string }[], expected: (number | null)[]) {
  const file = join(tmp, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const outputs = new Set<string>();
  for (const batch of ['1', '2', '3', '512']) {
    for (const jobs of ['1', '2']) {
      const r = huashu(['audit', file, '--format', 'jsonl', '--batch-size', batch, '--jobs', jobs]);
      const counts = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { findings?: unknown[] }).findings?.length ?? null);
      expect(counts, `--batch-size ${batch} --jobs ${jobs}`).toEqual(expected);
      outputs.add(r.stdout);
    }
  }
  expect(outputs.size).toBe(1);
}

describe('a reply split over consecutive agent messages', () => {
  it('is judged as one: an offer in the agent message just before counts, across batch edges and threads alike', () => {
    // c1: the refusal follows the agent's own offer; c2: nothing offered; c3: a customer turn between
    auditsAlikeAcrossBatches(
      'split-reply.jsonl',
      [
        { conversation: 'c1', role: 'customer', text: '我想退掉这个订单的运费' },
        { conversation: 'c1', role: 'agent', text: '我帮您申请一张五元运费券。' },
        { conversation: 'c1', role: 'agent', text: '运费这边是无法退款的哦。' },
        { conversation: 'c2', role: 'customer', text: '运费能退吗' },
        { conversation: 'c2', role: 'agent', text: '运费这边是无法退款的哦。' },
        { conversation: 'c3', role: 'agent', text: '我帮您申请一张五元运费券。' },
        { conversation: 'c3', role: 'customer', text: '不要券' },
        { conversation: 'c3', role: 'agent', text: '运费这边是无法退款的哦。' },
      ],
      [null, 0, 0, null, 1, 0, null, 1],
    );
  });
});

describe("a bare no and the customer's message it answers", () => {
  it('is a fact for a question of fact and a dead end for a request, across batch edges and threads alike', () => {
    // q1: a question of fact (its customer message two rows up); q2: a request; q3: no customer message
    auditsAlikeAcrossBatches(
      'bare-no.jsonl',
      [
        { conversation: 'q1', role: 'customer', text: '这款充电宝能带上飞机吗？' },
        { conversation: 'q1', role: 'agent', text: '您好' },
        { conversation: 'q1', role: 'agent', text: '不能的哦亲' },
        { conversation: 'q2', role: 'customer', text: '能帮我把发票抬头改成公司吗？' },
        { conversation: 'q2', role: 'agent', text: '不能的哦亲' },
        { conversation: 'q3', role: 'agent', text: '不能的哦亲' },
      ],
      [null, 0, 0, null, 1, 1],
    );
  });
});
