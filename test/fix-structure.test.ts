// `huashu fix` touches only the text `lint` reads: Markdown code, HTML comments, attributes and <script>,
// and JSON/YAML keys stay as they are; a replacement the file's syntax would not keep as text is not made;
// a file that does not parse is an error (exit 2), never fixed as plain text. And a safe replacement is
// made only where its guard holds (问题 → 情况 where 问题 is the reported matter, not a question).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync } from './helpers/child.js';
import { guardHolds } from '../src/edits/apply.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function huashu(args: string[], cwd: string, input = '') {
  return huashuSync(args, { cwd, input, timeout: 60_000 });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'huashu-fix-structure-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `name`, fix it, and give back what the file holds then. */
function fixed(name: string, text: string, args: string[] = []): { text: string; code: number | null; stderr: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = huashu(['fix', ...args, name], dir);
  return { text: readFileSync(file, 'utf8'), code: r.code, stderr: r.stderr };
}

describe('fix touches only the text lint reads', () => {
  it('Markdown: paragraphs and list items, not code blocks, inline code or comments', () => {
    const md = '# 回覆範本\n\n- 關於您的投訴，我們已經收到。\n\n```\n您的投訴 = 1\n```\n\n變數 `您的投訴` 不要改。\n\n<!-- 您的投訴 -->\n';
    const r = fixed('reply.md', md);
    expect(r.code).toBe(0);
    expect(r.text).toBe(md.replace('- 關於您的投訴', '- 關於您的回饋'));
  });

  it('HTML: text nodes, not attributes, comments or <script>', () => {
    const html = '<p title="您的投訴">關於您的投訴，我們已經收到。</p><!-- 您的投訴 --><script>var s = "您的投訴";</script>\n';
    const r = fixed('reply.html', html);
    expect(r.text).toBe(html.replace('>關於您的投訴', '>關於您的回饋'));
  });

  it('JSON and YAML: string values, never keys', () => {
    const json = '{\n  "您的投訴": "您的投訴已收到，我們會跟進。"\n}\n';
    expect(fixed('i18n.json', json).text).toBe('{\n  "您的投訴": "您的回饋已收到，我們會跟進。"\n}\n');
    const yaml = '您的投訴: 您的投訴已收到，我們會跟進。\n';
    expect(fixed('i18n.yaml', yaml).text).toBe('您的投訴: 您的回饋已收到，我們會跟進。\n');
  });

  it('a JSON file named on the command line that does not parse is an error, not fixed as text', () => {
    const broken = '{"reply": "您的投訴已收到。",\n';
    const r = fixed('broken.json', broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^huashu: broken\.json: invalid JSON \(\w+\) at line \d+, column \d+\n$/);
    expect(r.text).toBe(broken);
  });

  it('a replacement the syntax would read differently is not made there (a quote in a JSON string)', () => {
    writeFileSync(join(dir, 'quote.yaml'), 'pack: team\nrules:\n  - id: team/name\n    category: house-style\n    message: 請用新店名\n    match: { phrases: [快快購] }\n    suggest:\n      - { kind: replace, text: \'"速達購"\', safe: true }\n');
    const json = '{"reply": "快快購會幫您查。"}\n';
    expect(fixed('macro.json', json, ['-r', 'quote.yaml']).text).toBe(json);
    expect(fixed('macro.txt', '快快購會幫您查。\n', ['-r', 'quote.yaml']).text).toBe('"速達購"會幫您查。\n');
  });
});

describe('safe replacements only where their guard holds', () => {
  const fix = (text: string) => huashu(['fix', '-'], dir, text).stdout;
  it('问题 → 情况 for the reported matter', () => {
    expect(fix('您反映的问题我们已记录，会尽快处理。\n')).toBe('您反映的情况我们已记录，会尽快处理。\n');
    expect(fix('您好，您的问题已经转给工作人员。\n')).toBe('您好，您的情况已经转给工作人员。\n');
    expect(fix('為了更好地處理您的問題，請提供訂單號。\n')).toBe('為了更好地處理您的情況，請提供訂單號。\n');
  });
  it('not for a question, not for 解决, not for 麻烦', () => {
    for (const text of ['您这个问题问得好，我来回答一下。\n', '请问您的问题是什么呢？\n', '我们会尽快解决您的问题。\n', '您遇到的问题已经解决了。\n', '回答您的问题：可以退。\n', '抱歉添了您的麻烦。\n', '有问题可以问我。\n']) {
      expect(fix(text)).toBe(text);
    }
  });
  it('投诉 → 反馈 for the noun, not the verb', () => {
    expect(fix('您的投诉我们会处理。\n')).toBe('您的反馈我们会处理。\n');
    expect(fix('您要投诉的话我帮您转。\n')).toBe('您要投诉的话我帮您转。\n');
  });
  it('lint reports `safe` as it is where the finding is, without the guard; a JSON string is its own sentence', () => {
    const suggestion = (text: string) =>
      (JSON.parse(huashu(['lint', '-f', 'json', '-'], dir, text).stdout) as { files: { findings: { ruleId: string; suggestions: Record<string, unknown>[] }[] }[] }).files[0]!.findings.find(
        (f) => f.ruleId === 'negative/problem-noun',
      )!.suggestions[0]!;
    // a question put (问得好): the replacement does not even fit there (fits: notAfter asked), so none is offered
    const all = (text: string) =>
      (JSON.parse(huashu(['lint', '-f', 'json', '-'], dir, text).stdout) as { files: { findings: { ruleId: string; suggestions: Record<string, unknown>[] }[] }[] }).files[0]!.findings.find(
        (f) => f.ruleId === 'negative/problem-noun',
      )!.suggestions;
    expect(all('您这个问题问得好。\n').filter((s) => s['kind'] === 'replace')).toEqual([]);
    // fits, but the guard does not hold (a question): offered, not safe
    expect(suggestion('请问您的问题处理好了吗？\n')).toMatchObject({ kind: 'replace', text: '情况', safe: false });
    expect(suggestion('您反映的问题我们已记录。\n')).toMatchObject({ kind: 'replace', text: '情况', source: expect.any(Object), safe: true });
    expect(suggestion('您反映的问题我们已记录。\n')).not.toHaveProperty('guard');
    expect(fixed('guard.json', '{"reply": "您的问题我们已记录。", "other": "您这个问题问得好。"}\n').text).toBe('{"reply": "您的情况我们已记录。", "other": "您这个问题问得好。"}\n');
  });

  it('guardHolds reads the sentence around the span, normalized', () => {
    const text = '好的。您這個問題問得好！';
    const at = text.indexOf('問題');
    expect(guardHolds(text, { offset: at, length: 2, excerpt: '問題' }, { unless: { after: ['问得'] } })).toBe(false);
    expect(guardHolds(text, { offset: at, length: 2, excerpt: '問題' }, { before: ['/^您这个$/'] })).toBe(true);
    expect(guardHolds(text, { offset: at, length: 2, excerpt: '問題' }, { excerpt: ['麻烦'] })).toBe(false);
    expect(guardHolds(text, { offset: at, length: 2, excerpt: '問題' }, undefined)).toBe(true);
  });
});
