import { beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import type { Finding } from '../src/engine/findings.js';
import { formatJson, JSON_FORMAT_VERSION } from '../src/formatters/json.js';
import { cells, formatStylish, LINE_CELLS, loadCellWidths, underline } from '../src/formatters/stylish.js';
import { summarize, type FileResult } from '../src/formatters/types.js';

const ANSI = /\u001b\[[0-9;]*m/;

/** A finding for `excerpt` at its first occurrence in `text` (columns in code points, as the engine gives). */
function finding(text: string, excerpt: string, over: Partial<Finding> = {}): Finding {
  const offset = text.indexOf(excerpt);
  if (offset < 0) throw new Error(`${excerpt} not in ${text}`);
  const position = (o: number) => {
    const before = text.slice(0, o);
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    return { line: before.split(/\r\n|\r|\n/).length, column: Array.from(text.slice(lineStart, o)).length + 1 };
  };
  const from = position(offset);
  const to = position(offset + excerpt.length);
  return {
    ruleId: 'overpromise/guarantee',
    category: 'overpromise',
    severity: 'error',
    message: '避免絕對保證',
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    offset,
    length: excerpt.length,
    excerpt,
    suggestions: [{ kind: 'replace', text: '會盡力', source: { doc: '000_x.txt', section: '三、1. 明確溝通' } }],
    script: 'traditional-tw',
    ...over,
  };
}

/** The text the carets of `u` sit under. */
function underlined(u: { line: string; carets: string }): string {
  const pad = u.carets.length - u.carets.trimStart().length;
  const width = u.carets.trim().length;
  let out = '';
  let at = 0;
  for (const ch of u.line) {
    const w = stringWidth(ch);
    if (at >= pad && at + w <= pad + width) out += ch;
    at += w;
  }
  return out;
}

describe('cells', () => {
  it('counts CJK, kana, hangul, full-width and ASCII text as string-width does, without loading it', () => {
    // Before loadCellWidths: the built-in ranges must answer on their own, for every code point they cover.
    const probe = ['0x20-0x7e', '0x2010-0x2027', '0x2e80-0x2fdf', '0x3000-0x30ff', '0x3400-0x4dbf', '0x4e00-0x9fff', '0xac00-0xd7a3', '0xf900-0xfaff', '0xff01-0xffe6'];
    let measured = 0;
    const differ: string[] = [];
    for (const range of probe) {
      const [from, to] = range.split('-').map(Number) as [number, number];
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        let mine: number | undefined;
        try {
          mine = cells(ch);
        } catch {
          continue; // not a built-in range: string-width's job
        }
        measured++;
        if (mine !== stringWidth(ch)) differ.push(`U+${cp.toString(16)}: ${mine}`);
      }
    }
    expect(differ).toEqual([]);
    expect(measured).toBeGreaterThan(40000);
    const sample = '您好，非常抱歉讓您久等了。Order #123 已收到「退款」…２４小時，ありがとう 감사합니다';
    expect(cells(sample)).toBe(stringWidth(sample));
  });

  it('needs string-width only for other text', async () => {
    expect(() => cells('😀 您好')).toThrow(/loadCellWidths/);
    await loadCellWidths(['您好，我保證']);
    expect(() => cells('😀 您好')).toThrow(/loadCellWidths/);
    await loadCellWidths(['您好', '😀 您好']);
    expect(cells('😀 您好')).toBe(stringWidth('😀 您好'));
    expect(cells('e\u0301')).toBe(1);
  });
});

describe('underline', () => {
  beforeAll(() => loadCellWidths());

  it.each([
    ['CJK before the span', '您的包裹一定會在明天送到,我保證。', '我保證'],
    ['full-width digits and punctuation', '您的问题一定会在２４小时内解决，我们１００％保证。', '１００％'],
    ['ASCII and CJK mixed', 'Order #123 已收到, we 保證 refund', '保證'],
    ['an emoji before the span', '😀😀 您好，我保证', '我保证'],
    ['span at the start of a line', '保证没问题', '保证'],
    ['span on the second line', '第一行\r\n第二行我保证', '我保证'],
  ])('puts the carets under the span: %s', (_name, text, excerpt) => {
    const f = finding(text, excerpt);
    const u = underline(text, f.offset, f.length);
    expect(underlined(u)).toBe(excerpt);
    expect(u.carets.trim()).toBe('^'.repeat(stringWidth(excerpt)));
    expect(u.line).not.toMatch(/[\r\n]/);
  });

  it('counts a CJK character as two cells', () => {
    const u = underline('一定會', 2, 1);
    expect(u.carets).toBe('    ^^');
    expect(cells('一定')).toBe(4);
  });

  it('blanks tabs and control characters so the carets stay aligned', () => {
    const text = '\t您\u001b[31m好，我保证';
    const u = underline(text, text.indexOf('我'), 3);
    expect(u.line).not.toMatch(/[\t\u001b]/);
    expect(underlined(u)).toBe('我保证');
  });

  it('underlines a span that runs past its line only to the line end', () => {
    const text = '第一行我保\n证第二行';
    const u = underline(text, 3, 4);
    expect(u.line).toBe('第一行我保');
    expect(underlined(u)).toBe('我保');
  });

  it('cuts a long line short around the span', () => {
    const text = '啊'.repeat(200) + '我保证' + '哦'.repeat(200);
    const u = underline(text, 200, 3);
    expect(cells(u.line)).toBeLessThanOrEqual(LINE_CELLS);
    expect(u.line.startsWith('...')).toBe(true);
    expect(u.line.endsWith('...')).toBe(true);
    expect(underlined(u)).toBe('我保证');
    // near the start, the room goes to the text after the span
    const v = underline(text, 0, 2);
    expect(v.line.startsWith('啊啊')).toBe(true);
    expect(cells(v.line)).toBeGreaterThan(LINE_CELLS - 4);
  });

  it('cuts a span too wide for the width too, so the line never wraps in a terminal that wide', () => {
    const text = '好，' + '我们保证'.repeat(12) + '。';
    for (const width of [20, 40, 77]) {
      const u = underline(text, 2, 48, width);
      expect(cells(u.line)).toBeLessThanOrEqual(width);
      expect(u.line.startsWith('好，我们保证')).toBe(true);
      expect(u.line.endsWith('...')).toBe(true);
      // the carets start under the span and run to the end of what is shown of it
      expect(u.carets).toBe(' '.repeat(4) + '^'.repeat(cells(u.line) - 4));
    }
  });
});

describe('summarize', () => {
  it('counts severities, categories and files not linted', () => {
    const text = '我保證，都怪物流，我不知道';
    const files: FileResult[] = [
      {
        path: 'a.txt',
        text,
        findings: [
          finding(text, '我保證'),
          finding(text, '都怪', { severity: 'error', category: 'blame', ruleId: 'blame/shift-to-others' }),
          finding(text, '我不知道', { severity: 'warning', category: 'negative', ruleId: 'negative/dont-know' }),
        ],
      },
      { path: 'b.txt', text: '', findings: [] },
      { path: 'c.bin', findings: [], error: 'binary file (NUL byte at byte 3), skipped' },
    ];
    expect(summarize(files)).toEqual({
      files: 3,
      findings: 3,
      errors: 2,
      warnings: 1,
      infos: 0,
      byCategory: { blame: 1, negative: 1, overpromise: 1 },
      skipped: 1,
    });
  });
});

describe('formatJson', () => {
  it('writes the versioned schema', () => {
    const text = '我保證明天送到';
    const out = JSON.parse(
      formatJson([
        { path: 'a.txt', text, findings: [finding(text, '我保證')] },
        { path: 'bad.txt', findings: [], error: 'invalid UTF-8 at byte 3 (line 1)' },
      ]),
    );
    expect(out.version).toBe(JSON_FORMAT_VERSION);
    expect(out.files).toEqual([
      { path: 'a.txt', findings: [finding(text, '我保證')] },
      { path: 'bad.txt', findings: [], error: 'invalid UTF-8 at byte 3 (line 1)' },
    ]);
    expect(out.files[0]).not.toHaveProperty('text');
    expect(out.summary).toEqual({ files: 2, findings: 1, errors: 1, warnings: 0, infos: 0, byCategory: { overpromise: 1 }, skipped: 1 });
  });
});

describe('formatStylish', () => {
  const text = '您好。\n您的包裹一定會在明天送到,我保證。';
  const files: FileResult[] = [
    { path: 'clean.txt', text: '您好', findings: [] },
    {
      path: 'drafts/tw.txt',
      text,
      findings: [
        finding(text, '一定', { ruleId: 'overpromise/definitely-will', suggestions: [] }),
        finding(text, '我保證', { severity: 'warning' }),
      ],
    },
  ];

  it('lists findings per file with the line, carets and suggestions', () => {
    const out = formatStylish(files, { color: false });
    expect(out).not.toMatch(ANSI);
    expect(out).not.toContain('clean.txt');
    expect(out.split('\n')).toEqual([
      'drafts/tw.txt',
      '  2:5   error    避免絕對保證  overpromise/definitely-will',
      '    您的包裹一定會在明天送到,我保證。',
      '            ^^^^',
      '  2:14  warning  避免絕對保證  overpromise/guarantee',
      '    您的包裹一定會在明天送到,我保證。',
      '                             ^^^^^^',
      '    → 會盡力  (000_x.txt § 三、1. 明確溝通)',
      '',
      '✖ 2 problems (1 error, 1 warning, 0 info)',
      '',
    ]);
  });

  it('colours only when asked', () => {
    expect(formatStylish(files, { color: true })).toMatch(ANSI);
  });

  it('says so when there is nothing to report, unless quiet', () => {
    const clean: FileResult[] = [{ path: 'a.txt', text: '您好', findings: [] }];
    expect(formatStylish(clean, { color: false })).toBe('✔ no problems (1 file linted)\n');
    expect(formatStylish(clean, { color: false, quiet: true })).toBe('');
    const skipped: FileResult[] = [...clean, { path: 'b.bin', findings: [], error: 'binary file' }];
    expect(formatStylish(skipped, { color: false })).toBe('✔ no problems (1 file linted); 1 file not linted\n');
  });
});
