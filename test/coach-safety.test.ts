// The coach never writes harm: rewrites stay inside their text node (a JSON string, a Markdown list item),
// placeholders and structure are kept or the change is refused, and pressing Enter all the way through a
// file changes it only where a safe replacement fits. End to end in tmux (skipped without tmux).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeChange } from '../src/coach/guard.js';
import { CoachSession, RefusedChangeError, UnreadableDraftError } from '../src/coach/session.js';
import { textNodes } from '../src/coach/textnode.js';
import type { InputFormat } from '../src/inputs/formats.js';
import { lintDocument } from '../src/inputs/lint-document.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleSet } from '../src/rules/compile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const HAS_TMUX = (process.env['PATH'] ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'tmux')));

const MACRO = `{
  "macros": [
    {
      "title": "退款說明",
      "actions": [
        { "field": "comment_value", "value": "{{ticket.requester.name}}您好，您的退款一定會在週三到帳。關於您的投訴，我們已經收到，訂單號 {order_id} 。" }
      ]
    }
  ]
}
`;
const LIST = '# 回覆範本\n\n- 您好，您的包裹一定會在明天送到。\n- 關於您的投訴，我們已經收到。\n- 這個訂單不能修改的哦\n';

let rules: RuleSet;
let dir: string;
beforeAll(async () => {
  rules = await loadRules();
  dir = mkdtempSync(join(tmpdir(), 'huashu-coach-safety-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session as `huashu coach file` makes it: the file's reader, its text nodes, and the guard. */
function session(text: string, format: InputFormat): CoachSession {
  return new CoachSession(
    text,
    (t) => {
      const r = lintDocument(`draft.${format === 'markdown' ? 'md' : format}`, t, rules, { format });
      if ('error' in r) throw new UnreadableDraftError(r.error);
      const unsafe = t === text ? undefined : unsafeChange(format, text, t);
      if (unsafe) throw new RefusedChangeError(unsafe);
      return r.findings;
    },
    textNodes(format),
  );
}

describe('rewrites in files', () => {
  it('a rewrite in a JSON macro replaces only the sentence inside its string: keys, quotes and placeholders stay', () => {
    const s = session(MACRO, 'json');
    expect(s.current?.ruleId).toBe('overpromise/definitely-will');
    const rewrite = s.current!.suggestions.findIndex((x) => x.kind === 'rewrite');
    expect(s.current!.suggestions[rewrite]!.text).toBe('{{ticket.requester.name}}您好，您的退款預計週三到帳，如有變動我們會第一時間通知您。');
    s.apply(rewrite);
    const parsed = JSON.parse(s.text);
    expect(Object.keys(parsed.macros[0].actions[0])).toEqual(['field', 'value']);
    expect(parsed.macros[0].actions[0].value).toBe('{{ticket.requester.name}}您好，您的退款預計週三到帳，如有變動我們會第一時間通知您。關於您的投訴，我們已經收到，訂單號 {order_id} 。');
  });

  it('an edit that drops a placeholder or breaks the JSON is refused, and the draft stays as it was', () => {
    const s = session(MACRO, 'json');
    expect(() => s.editSentence('您好，您的退款預計週三到帳。')).toThrow(/placeholder \{\{ticket\.requester\.name\}\} would be lost/);
    expect(s.text).toBe(MACRO);
    expect(() => s.editSentence('{{ticket.requester.name}}您好" 退款')).toThrow(UnreadableDraftError);
    expect(s.text).toBe(MACRO);
  });

  it('a rewrite in a Markdown list item keeps the list marker; a sentence with markup inside is left to the agent', () => {
    const s = session(LIST, 'markdown');
    const f = s.current!;
    s.apply(f.suggestions.findIndex((x) => x.kind === 'rewrite'));
    expect(s.text).toBe(LIST.replace('您好，您的包裹一定會在明天送到。', '您好，您的包裹預計明天送到，如有變動我們會第一時間通知您。'));
    const marked = session('- 您的退款**一定**會在週三到帳。\n', 'markdown');
    const i = marked.current!.suggestions.findIndex((x) => x.kind === 'rewrite');
    expect(() => marked.apply(i)).toThrow(/markup inside it/);
  });

  it('the guard names what would break: structure, keys, placeholders', () => {
    expect(unsafeChange('markdown', LIST, LIST.replace('- 關於', '關於'))).toMatch(/structure/);
    expect(unsafeChange('json', '{"a": "x"}', '{"b": "x"}')).toMatch(/keys/);
    expect(unsafeChange('text', '您好 %s，', '您好，')).toMatch(/%s would be lost/);
    expect(unsafeChange('html', '<p>您好</p>', '<p>您好</p>')).toBeUndefined();
  });
});

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Terminal {
  private readonly socket = `huashu-safety-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(command: string) {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-x', '200', '-y', '60', `cd ${sh(dir)} && env -u FORCE_COLOR NO_COLOR=1 ${command}; echo "EXIT:$?"; sleep 60`);
  }
  private tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-1000');
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }
  async waitFor(test: (s: string) => boolean, what: string, timeout = 30_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await sleep(100);
    }
  }
  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** Press Enter at every question until the coach exits (saved, or nothing to change). */
async function enterThrough(t: Terminal): Promise<string> {
  for (;;) {
    const s = await t.waitFor((s) => s.includes('? What now?') || s.includes('? Done. What now?') || s.includes('EXIT:'), 'a question');
    if (s.includes('? What now?')) {
      const shown = s.split('✔ What now?').length - 1;
      t.keys('Enter');
      await t.waitFor((s) => s.split('✔ What now?').length - 1 > shown, 'the answer');
      continue;
    }
    if (s.includes('? Done. What now?')) t.keys('Enter');
    return t.waitFor((s) => s.includes('EXIT:'), 'exit');
  }
}

describe.skipIf(!HAS_TMUX)('Enter all the way through files (tmux)', { timeout: 120_000 }, () => {
  for (const [name, draft, changed, check] of [
    ['macro.json', MACRO, MACRO.replace('您的投訴', '您的回饋'), (t: string) => JSON.parse(t)],
    ['list.md', LIST, LIST.replace('您的投訴', '您的回饋'), (t: string) => expect(t.match(/^- /gm)).toHaveLength(3)],
    ['taiwan.txt', '您好，您的包裹一定會在明天送到，我保證。\n關於您的投訴，我們會盡快處理。\n', '您好，您的包裹一定會在明天送到，我保證。\n關於您的回饋，我們會盡快處理。\n', () => undefined],
  ] as const) {
    it(`${name}: stays valid and changes only where a safe replacement fits`, async () => {
      const file = join(dir, name);
      writeFileSync(file, draft);
      const t = new Terminal(`node ${sh(BIN)} coach --no-backup ${name}`);
      try {
        const end = await enterThrough(t);
        expect(end).toContain('EXIT:0');
        expect(end).toContain(`saved ${name}`);
        const saved = readFileSync(file, 'utf8');
        expect(saved).toBe(changed);
        check(saved);
        expect(saved).toContain(name === 'macro.json' ? '{{ticket.requester.name}}' : '');
      } finally {
        t.close();
      }
    });
  }
});

if (!HAS_TMUX) {
  describe('Enter all the way through files (tmux)', () => {
    it.skip('skipped: tmux is not installed (apt-get install tmux)', () => undefined);
  });
}
