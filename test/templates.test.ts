// Template inputs on the real engine: every format (Markdown, HTML, JSON, YAML) must find what the plain
// text finds, at the exact characters of the file, and placeholders must neither add nor hide findings.
import { describe, expect, it } from 'vitest';
import { lintText, loadRules, type Finding } from '../src/index.js';
import { extractSegments } from '../src/inputs/formats.js';
import { parseFieldPath, parseFieldPaths, FieldPathError } from '../src/inputs/field-path.js';
import { lintDocument } from '../src/inputs/lint-document.js';
import { lintSegments } from '../src/inputs/remap.js';
import { DEFAULT_PLACEHOLDER_PATTERNS, findPlaceholders, placeholderPatterns } from '../src/inputs/placeholders.js';
import type { InputFormat } from '../src/inputs/kinds.js';

const rules = await loadRules();

/** Drafts with findings of every category, one line each (a YAML folded block joins lines). */
const DRAFTS = [
  '您的包裹一定會在明天送到，我保證。',
  '王先生您好，您的包裹一定会在明天送到，这个我保证。',
  '退款的部分我們這邊沒辦法處理，是您自己沒看清楚活動說明，都怪物流太慢了。',
  '關於您的投訴，我們保證下週一前一定會寄出，之後絕對不會再發生這種情況。',
  '這件事我不知道，不歸我們管。',
];

function lint(path: string, text: string, format?: InputFormat): Finding[] {
  const r = lintDocument(path, text, rules, format ? { format } : {});
  if ('error' in r) throw new Error(r.error);
  return r.findings;
}

/** 1-based line and code-point column of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!).length + 1 };
}

/** Each finding points at exactly its excerpt in the file, by offset and by line/column. */
function expectExact(file: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    expect(file.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
    expect(position(file, f.offset)).toEqual({ line: f.line, column: f.column });
    expect(position(file, f.offset + f.length)).toEqual({ line: f.endLine, column: f.endColumn });
  }
}

const summary = (fs: readonly Finding[], decode: (excerpt: string) => string = (s) => s) => fs.map((f) => `${f.ruleId} ${decode(f.excerpt)}`);

/** Every character as \uXXXX (what ASCII-only JSON writers emit), emoji as surrogate pairs. */
const asciiJson = (s: string) => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const decodeJson = (excerpt: string) => JSON.parse(`"${excerpt}"`) as string;
const decodeHtml = (excerpt: string) => excerpt.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');

describe('every format finds what the plain text finds, at the exact characters of the file', () => {
  const encodings: Record<string, { format: InputFormat; wrap: (d: string) => string; decode?: (e: string) => string }> = {
    'JSON string': { format: 'json', wrap: (d) => `{\n  "reply": ${JSON.stringify(`開頭\n${d}`)}\n}\n` },
    'JSON with \\uXXXX escapes': { format: 'json', wrap: (d) => `{"a": {"b": [${asciiJson(`😀 "${d}"`)}]}}`, decode: decodeJson },
    'YAML plain': { format: 'yaml', wrap: (d) => `zh:\n  reply: ${d}\n` },
    'YAML double-quoted with escapes': { format: 'yaml', wrap: (d) => `reply: "\\t\\u263A ${d.replace(/。/g, '\\u3002')}"\n`, decode: (e) => e.replace(/\\u3002/g, '。') },
    "YAML single-quoted with ''": { format: 'yaml', wrap: (d) => `reply: 'it''s ${d}'\n` },
    'YAML literal block': { format: 'yaml', wrap: (d) => `reply: |\n    第一行\n    ${d}\n  # comment\nnext: x\n` },
    'YAML folded block': { format: 'yaml', wrap: (d) => `reply: >-\n  第一行，\n  ${d}\n` },
    'YAML flow sequence': { format: 'yaml', wrap: (d) => `replies: [ "${d}" ]\n` },
    Markdown: { format: 'markdown', wrap: (d) => `# 標題\n\n> 引用：\n> ${d}\n\n- 項目 \\* ${d}\n` },
    'HTML with entities': {
      format: 'html',
      wrap: (d) => `<div>\n  <p>A &amp; B ${d.replace(/保/g, '&#x4fdd;')}</p>\n</div>`,
      decode: decodeHtml,
    },
  };
  for (const [name, { format, wrap, decode }] of Object.entries(encodings)) {
    it(name, () => {
      for (const draft of DRAFTS) {
        const file = wrap(draft);
        const found = lint(`x.${format}`, file, format);
        expectExact(file, found);
        const plain = lintText(draft, rules);
        expect(plain.length).toBeGreaterThan(0);
        const times = format === 'markdown' ? 2 : 1; // the Markdown wrapper holds the draft twice
        const expected = Array.from({ length: times }, () => summary(plain)).flat();
        expect(summary(found, decode).sort()).toEqual(expected.sort());
      }
    });
  }

  it('maps each half of an escaped surrogate pair and the characters after it', () => {
    const file = '{"r": "\\ud83d\\ude00\\ud83d\\ude00 我保證"}';
    const [f] = lint('x.json', file);
    expect(f).toMatchObject({ ruleId: 'overpromise/guarantee', excerpt: '保證', line: 1, column: 34 }); // 7 + 4 escapes of 6 + ' 我'
    expectExact(file, [f!]);
  });

  it('points into YAML block scalars line by line, CRLF files included', () => {
    const file = 'a:\r\n  b: |\r\n    您好。\r\n    都怪物流太慢了。\r\n  c: x\r\n';
    const found = lint('x.yaml', file);
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.excerpt])).toEqual([['blame/shift-to-others', 4, 5, '都怪']]);
  });
});

describe('what is not linted', () => {
  it('Markdown: code blocks, inline code and front matter keys', () => {
    const file = '---\n保證: 一定會送到\n---\n\n```\n我保證\n```\n\n    我保證\n\n看 `我保證` 這裡\n';
    const found = lint('x.md', file);
    // the front matter *value* is text; its key, the fenced and indented blocks and inline code are not
    expect(found.map((f) => [f.line, f.column, f.excerpt])).toEqual([[2, 5, '一定']]);
  });

  it('HTML: scripts, styles, comments and attributes', () => {
    const file = '<p title="我保證">您好</p><script>"我保證"</script><style>/*我保證*/</style><!-- 我保證 --><pre>我保證</pre>';
    expect(lint('x.html', file)).toEqual([]);
  });

  it('JSON and YAML: keys, numbers and a Zendesk export’s other fields', () => {
    expect(lint('x.json', '{"我保證": 1, "一定會": true}')).toEqual([]);
    const zendesk = JSON.stringify({ macros: [{ title: '物流', actions: [{ field: 'subject', value: '我保證' }, { field: 'comment_value', value: '都怪物流' }], description: '我保證' }] });
    expect(lint('x.json', zendesk).map((f) => f.excerpt)).toEqual(['都怪']);
  });

  it('an array of { id, title, body }: the title and body only', () => {
    const file = JSON.stringify([{ id: '我保證', title: '無法退款', body: '都怪物流', note: '我保證' }], null, 2);
    expect(lint('x.json', file).map((f) => f.excerpt).sort()).toEqual(['無法', '都怪'].sort());
  });
});

describe('a dialogue export (JSON or YAML turns with a role and a text)', () => {
  const turns = (...t: [string, string][]) => JSON.stringify(t.map(([role, text]) => ({ role, text })), null, 2);

  it("lints the agents' turns only, never the customer's words, at their place in the file", () => {
    const file = turns(['customer', '都怪你们物流太慢了，我保证再也不买了。'], ['agent', '您的包裹一定会在明天送到，我保证。']);
    const found = lint('chat.json', file);
    expect(found.length).toBeGreaterThan(0);
    const agentLine = file.split('\n').findIndex((l) => l.includes('您的包裹')) + 1;
    for (const f of found) expect(f.line).toBe(agentLine);
  });

  it("judges a turn with the customer's message and the agent's own message before it", () => {
    const fact = turns(['customer', '这款奶粉开封后能放常温吗？'], ['agent', '不能的哦亲']);
    const request = turns(['customer', '能帮我把收货地址改成公司吗？'], ['agent', '不能的哦亲']);
    expect(lint('chat.json', fact)).toEqual([]);
    expect(lint('chat.json', request).map((f) => f.ruleId)).toEqual(['negative/refusal']);
    const split = turns(['customer', '能改地址吗？'], ['agent', '等仓库出库以后才可以修改收货人的'], ['agent', '现在没办法修改的呢']);
    expect(lint('chat.json', split).filter((f) => f.category === 'negative')).toEqual([]);
  });

  it('keeps dialogues apart by their id, reads { messages: [...] } and YAML, and leaves other arrays as templates', () => {
    const two = JSON.stringify([
      { dialogue_id: 'a', speaker: '客户', content: '这款奶粉开封后能放常温吗？' },
      { dialogue_id: 'b', speaker: '客服', content: '不能的哦亲' },
    ]);
    expect(lint('chat.json', two).map((f) => f.ruleId)).toEqual(['negative/refusal']);
    const wrapped = JSON.stringify({ messages: [{ sender: 'user', message: '都怪你们物流太慢了' }, { sender: 'agent', message: '没办法的哦' }] });
    expect(lint('chat.json', wrapped).map((f) => f.excerpt)).toEqual(['没办法']);
    const yaml = lint('chat.yaml', '- role: customer\n  text: 都怪你们物流太慢\n- role: agent\n  text: 我保证明天送到\n');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml.every((f) => f.line === 4)).toBe(true);
    // an unknown role (a field that only looks like one) keeps the file a template: every string is read
    expect(lint('x.json', JSON.stringify([{ role: 'title', text: '我保證' }])).map((f) => f.excerpt)).toEqual(['保證']);
  });
});

describe('placeholders', () => {
  const samples: [string, string][] = [
    ['mustache', '{{ticket.requester.first_name}}'],
    ['mustache with filter', '{{ ticket.title | 保證 }}'],
    ['triple mustache', '{{{dc.保證條款}}}'],
    ['liquid tag', '{% if ticket.priority == "一定" %}'],
    ['dollar brace', '${order.一定}'],
    ['brace', '{保證金額}'],
    ['printf', '%s'],
    ['printf named', '%(我保證)s'],
  ];

  it('are found, and a literal %% or a brace with spaces is text', () => {
    for (const [, p] of samples) expect(findPlaceholders(`您好${p}。`).map((m) => m.end - m.start)).toEqual([p.length]);
    expect(findPlaceholders('打折 100%% 了，{ 不是 }')).toEqual([]);
    expect(findPlaceholders('50% discount')).toEqual([]);
  });

  it('never produce a finding', () => {
    for (const [, p] of samples) expect(lint('x.txt', `您好，${p}。`)).toEqual([]);
  });

  it('never hide a finding, and the columns after them stay exact', () => {
    for (const [, p] of samples) {
      for (const draft of DRAFTS) {
        const plain = lintText(draft, rules);
        // before the draft, and in place of the customer's name inside it
        for (const file of [`${p}${draft}`, draft.replace(/您/, `${p}您`)]) {
          const found = lint('x.txt', file);
          expectExact(file, found);
          expect(summary(found)).toEqual(summary(plain));
        }
      }
    }
  });

  it('branches of {{#if}}…{{else}} do not excuse each other', () => {
    // Run together, 盡力 in the same clause excuses 保證 …
    expect(lintText('我們保證我們會盡力', rules).filter((f) => f.ruleId === 'overpromise/guarantee')).toEqual([]);
    // … but behind {{else}} it is another reply.
    const file = '{{#if vip}}我們保證{{else}}我們會盡力{{/if}}';
    const found = lint('x.txt', file);
    expect(found.map((f) => [f.ruleId, f.column])).toEqual([['overpromise/guarantee', 14]]);
  });

  it('can be extended with patterns from config', () => {
    const patterns = placeholderPatterns(['\\[\\[[^\\]]+\\]\\]']);
    expect(patterns.length).toBe(DEFAULT_PLACEHOLDER_PATTERNS.length + 1);
    const file = '您好 [[保證]] 祝好';
    expect(lint('x.txt', file).map((f) => f.excerpt)).toEqual(['保證']);
    expect(lintSegments(file, extractSegments(file, 'text'), rules, { placeholders: patterns })).toEqual([]);
    expect(() => placeholderPatterns(['('])).toThrow();
  });
});

describe('field paths', () => {
  const exportJson = JSON.stringify(
    {
      macros: [
        { title: '物流', actions: [{ field: 'comment_value', value: '都怪物流' }, { field: 'comment_value_html', value: '<p>我&#x4fdd;證</p>' }] },
        { title: '我保證', actions: [{ field: 'comment_value', value: ['channel:all', '這件事我不知道'] }] },
      ],
    },
    null,
    2,
  );

  it('parse the documented syntax, and say where a bad one goes wrong', () => {
    expect(parseFieldPath('macros[*].actions[?field=comment_value|comment_value_html].value').steps).toEqual([
      { type: 'key', name: 'macros' },
      { type: 'anyIndex' },
      { type: 'key', name: 'actions' },
      { type: 'filter', key: 'field', values: ['comment_value', 'comment_value_html'] },
      { type: 'key', name: 'value' },
    ]);
    expect(parseFieldPath('[0]["a.b"].*').steps).toEqual([{ type: 'index', index: 0 }, { type: 'key', name: 'a.b' }, { type: 'anyKey' }]);
    expect(() => parseFieldPath('macros[*.value')).toThrow(FieldPathError);
    expect(() => parseFieldPath('a..b')).toThrow(/column 2/);
    expect(() => parseFieldPath('a[?x]')).toThrow(/filter/);
  });

  it('select exactly the strings named; HTML by the action’s field', () => {
    const only = (paths: string[]) => {
      const r = lintDocument('x.json', exportJson, rules, { fields: parseFieldPaths(paths) });
      if ('error' in r) throw new Error(r.error);
      expectExact(exportJson, r.findings);
      return r.findings.map((f) => f.excerpt);
    };
    expect(only(['macros[*].actions[?field=comment_value].value'])).toEqual(['都怪', '我不知道']);
    expect(only(['macros[*].actions[?field=comment_value_html].value'])).toEqual(['&#x4fdd;證']);
    expect(only(['macros[1].title'])).toEqual(['保證']);
    // the default for this shape: titles and both comment fields, not the channel tag
    expect(lint('x.json', exportJson).map((f) => f.excerpt)).toEqual(['都怪', '&#x4fdd;證', '保證', '我不知道']);
  });
});

describe('files that do not parse', () => {
  it('give a one-line error with line and column', () => {
    expect(lintDocument('x.json', '{\n  "a": "x",\n  "b" 1\n}', rules)).toEqual({ error: 'invalid JSON (ColonExpected) at line 3, column 7' });
    expect(lintDocument('x.yaml', 'a: "unterminated\nb: c\n', rules)).toMatchObject({ error: expect.stringMatching(/^invalid YAML .* at line \d+, column \d+$/) });
    expect(lintDocument('x.md', '---\na: [\n---\n# 標題\n', rules)).toMatchObject({ error: expect.stringMatching(/in the front matter at line [23], column \d+$/) });
  });
});
