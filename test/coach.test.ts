// `huashu coach` end to end in a real pseudo-terminal: the built CLI runs inside tmux, keys are sent with
// send-keys and the screen is read with capture-pane. Skipped where tmux is not installed. Plus the
// refusal without a terminal, and the UI loop driven with scripted answers (no terminal needed).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyToClipboard, findClipboardTool } from '../src/coach/clipboard.js';
import { CoachSession, UnreadableDraftError } from '../src/coach/session.js';
import { lintDocument } from '../src/inputs/lint-document.js';
import { finish, renderCard, walk, type Action, type CoachPrompts, type Choice } from '../src/coach/ui.js';
import { lintText } from '../src/engine/lint.js';
import { loadCellWidths } from '../src/formatters/stylish.js';
import { loadRules } from '../src/rules/load.js';
import { encodeText } from '../src/inputs/write.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const HAS_TMUX = (process.env['PATH'] ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'tmux')));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-coach-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A traditional (Taiwan) draft with three findings. */
const TW_DRAFT = '您好，您的包裹一定會在明天送到，我保證。\n關於您的投訴，我們會盡快處理。\n';
/** Enter-through changes only where a safe replacement fits: 投訴 → 回饋 (Taiwan vocabulary); the promises stay for the agent. */
const TW_COACHED = '您好，您的包裹一定會在明天送到，我保證。\n關於您的回饋，我們會盡快處理。\n';

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One tmux server of our own (its own socket), one window running one command. */
class Terminal {
  private readonly socket = `huashu-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(command: string, env: Record<string, string> = {}, columns = 200) {
    const envs = Object.entries({ NO_COLOR: '1', ...env })
      .map(([k, v]) => `${k}=${sh(v)}`)
      .join(' ');
    const script = `cd ${sh(dir)} && env -u FORCE_COLOR ${envs} ${command}; echo "EXIT:$?"; sleep 60`;
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(columns), '-y', '60', script);
  }

  private tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-1000');
  }

  /** The screen's rows as the terminal shows them: wrapped lines stay wrapped. */
  rows(): string[] {
    return this.tmux('capture-pane', '-p', '-S', '-1000').split('\n');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Type text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }

  async waitFor(test: (screen: string) => boolean, what: string, timeout = 30_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await sleep(100);
    }
  }

  count(s: string, needle: string): number {
    return s.split(needle).length - 1;
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** Press Enter at every card until the walk ends; returns how many cards were answered. */
async function enterThrough(t: Terminal): Promise<number> {
  let answered = 0;
  for (;;) {
    const s = await t.waitFor((s) => s.includes('? What now?') || s.includes('? Done. What now?') || s.includes('No changes'), 'a question');
    if (!s.includes('? What now?')) return answered;
    // Wait for this answer to show before the next Enter: answers already on the screen (skip, undo) must
    // not count, or a second Enter races ahead of the coach.
    const shown = t.count(s, '✔ What now?');
    t.keys('Enter');
    answered++;
    await t.waitFor((s) => t.count(s, '✔ What now?') > shown, `answer ${answered}`);
  }
}

// Generous: a loaded 2-core CI machine starts several node processes per test.
describe.skipIf(!HAS_TMUX)('huashu coach in a terminal (tmux)', { timeout: 120_000 }, () => {
  it('Enter all the way on a Taiwan draft: only the safe replacement that fits is made, saved with a .bak', async () => {
    const file = join(dir, 'taiwan.txt');
    writeFileSync(file, TW_DRAFT);
    const t = new Terminal(`node ${sh(BIN)} coach taiwan.txt`);
    try {
      await t.waitFor((s) => s.includes('3 problems in taiwan.txt'), 'the count');
      expect(await enterThrough(t)).toBe(3);
      const s = await t.waitFor((s) => s.includes('? Done. What now?'), 'the end');
      // Enter skips what is not a safe fit (the draft stays as written); re-linted after the change, the
      // count shown; the why quote with its citation
      expect(t.count(s, '✔ What now? skip (leave it as it is)')).toBe(2);
      expect(s).toContain('「投訴」 → 「回饋」  1 → 0 problems left');
      expect(s).toContain('2 problems left (skipped or ignored)');
      expect(s).toContain('— 《客服應對技巧:如何有效管理客戶期望?》§ 三、1. 明確溝通,避免模糊承諾');
      // the diff shows exactly what will be saved
      const shown = s
        .split('\n')
        .filter((l) => l.startsWith('+ '))
        .map((l) => l.slice(2));
      expect(shown).toEqual(['關於您的回饋，我們會盡快處理。']);
      t.keys('Enter');
      const end = await t.waitFor((s) => s.includes('EXIT:'), 'exit');
      expect(end).toContain('saved taiwan.txt (old version: taiwan.txt.bak)');
      expect(end).toContain('EXIT:0');
      expect(readFileSync(file, 'utf8')).toBe(TW_COACHED);
      expect(readFileSync(`${file}.bak`, 'utf8')).toBe(TW_DRAFT);
    } finally {
      t.close();
    }
  });

  it('keeps a UTF-16 file UTF-16 with its BOM; --no-backup keeps no .bak; the 2 key picks a rewrite', async () => {
    const file = join(dir, 'hk.txt');
    const draft = '我哋一定幫你搞掂!\r\n';
    writeFileSync(file, encodeText(draft, 'utf-16le'));
    const t = new Terminal(`node ${sh(BIN)} coach --no-backup hk.txt`);
    try {
      await t.waitFor((s) => s.includes('? What now?'), 'the first card');
      // 2 takes the second alternative (a rewrite of the sentence) at once, as `coach --help` says
      t.keys('2');
      await t.waitFor((s) => s.includes('✔ What now? 2. '), 'the second alternative taken');
      await enterThrough(t);
      await t.waitFor((s) => s.includes('? Done. What now?'), 'the end');
      t.keys('Enter');
      await t.waitFor((s) => s.includes('EXIT:0'), 'exit');
      const saved = readFileSync(file);
      expect([saved[0], saved[1]]).toEqual([0xff, 0xfe]);
      const text = saved.subarray(2).toString('utf16le');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text).not.toContain('一定');
      expect(existsSync(`${file}.bak`)).toBe(false);
    } finally {
      t.close();
    }
  });

  it('a pasted simplified draft: skip, undo, apply, then copy to the clipboard tool', async () => {
    // A stand-in clipboard tool on PATH that keeps what it is given, as xclip would.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const clip = join(dir, 'clipboard.txt');
    writeFileSync(join(bin, 'xclip'), `#!/bin/sh\ncat > ${sh(clip)}\n`);
    chmodSync(join(bin, 'xclip'), 0o755);
    const t = new Terminal(`node ${sh(BIN)} coach`, { PATH: `${bin}${delimiter}${process.env['PATH']}`, DISPLAY: ':99' });
    try {
      await t.waitFor((s) => s.includes('Paste or type the draft'), 'the paste prompt');
      t.type('您好，关于您的投诉，');
      t.keys('Enter');
      t.type('我们已经收到。');
      t.keys('Enter', 'Enter', 'Enter');
      await t.waitFor((s) => s.includes('? What now?'), 'the first card');
      let s = t.screen();
      expect(s).toContain('1 problem in the draft');
      expect(s).toContain('1. 反馈');
      // skip (down past the one alternative and "edit"), then undo, then take the first alternative
      t.keys('Down', 'Down', 'Enter');
      await t.waitFor((s) => s.includes('No changes') || s.includes('? Done. What now?'), 'the end after skip');
      s = t.screen();
      expect(s).toContain('No changes to the draft. 1 problem left.');
      await t.waitFor((s) => s.includes('EXIT:0'), 'exit');
    } finally {
      t.close();
    }

    const t2 = new Terminal(`node ${sh(BIN)} coach`, { PATH: `${bin}${delimiter}${process.env['PATH']}`, DISPLAY: ':99' });
    try {
      await t2.waitFor((s) => s.includes('Paste or type the draft'), 'the paste prompt');
      t2.type('您好，关于您的投诉，我们已经收到。我们一定会处理好。');
      t2.keys('Enter', 'C-d');
      await t2.waitFor((s) => s.includes('? What now?'), 'the first card');
      // skip the complaint noun (1 alternative, 2 edit, 3 skip) …
      t2.keys('3');
      await t2.waitFor((s) => s.includes('❯ skip'), 'the cursor on skip');
      t2.keys('Enter');
      // … and take it back from the next card (1 alternative, edit, skip, ignore, 5 undo)
      await t2.waitFor((s) => s.includes('undo: skip negative/complaint-noun'), 'the undo choice');
      t2.keys('5');
      await t2.waitFor((s) => s.includes('❯ undo'), 'the cursor on undo');
      t2.keys('Enter');
      await t2.waitFor((s) => s.includes('undone: skip negative/complaint-noun'), 'undone');
      await enterThrough(t2);
      const s = await t2.waitFor((s) => s.includes('? Done. What now?'), 'the end');
      expect(s).toContain('copy to the clipboard');
      // endings for a pasted draft: print, copy, discard
      t2.keys('Down', 'Enter');
      await t2.waitFor((s) => s.includes('EXIT:'), 'exit');
      expect(t2.screen()).toContain('copied to the clipboard (xclip)');
      // Enter took the safe 反馈 and skipped the promise: the agent's own 一定 is left for the agent
      expect(readFileSync(clip, 'utf8')).toBe('您好，关于您的反馈，我们已经收到。我们一定会处理好。');
    } finally {
      t2.close();
    }
  });
});

describe.skipIf(!HAS_TMUX)('huashu coach in a terminal: issue 19 round 2', { timeout: 120_000 }, () => {
  it('a digit key takes that alternative at once, no Enter needed (digits past the alternatives move: see above)', async () => {
    const file = join(dir, 'digit.txt');
    writeFileSync(file, '我保證準時送到。\n');
    const t = new Terminal(`node ${sh(BIN)} coach --no-backup digit.txt`);
    try {
      await t.waitFor((s) => s.includes('? What now?'), 'the card');
      expect(t.screen()).toContain('2. 我會盡力準時送到');
      t.keys('2');
      await t.waitFor((s) => s.includes('rewrite → 「我會盡力準時送到'), 'the second alternative applied');
      await t.waitFor((s) => s.includes('? Done. What now?'), 'the end');
      t.keys('Enter');
      await t.waitFor((s) => s.includes('EXIT:0'), 'exit');
      expect(readFileSync(file, 'utf8')).toBe('我會盡力準時送到，有進展會第一時間告訴您。\n');
    } finally {
      t.close();
    }
  });

  it('in an 80-column terminal the carets stand exactly under the flagged characters of a long CJK line', async () => {
    const file = join(dir, 'long.txt');
    // one sentence of 140 cells: the flagged 一定 sits at cells 104-107 of the line
    writeFileSync(file, '您好，关于您上周在我们网站购买的那台洗衣机在安装过程中出现的漏水情况以及师傅上门时间反复更改的事情，我们一定会在明天下午之前给您一个明确的答复。\n');
    const t = new Terminal(`node ${sh(BIN)} coach long.txt`, {}, 80);
    try {
      await t.waitFor((s) => s.includes('? What now?'), 'the card');
      const rows = t.rows();
      const caretRow = rows.findIndex((r) => /^\s*\^+\s*$/.test(r));
      expect(caretRow).toBeGreaterThan(0);
      const quoted = rows[caretRow - 1]!;
      const carets = rows[caretRow]!;
      // the quoted line fits the terminal (no wrapped remainder between it and the carets)
      expect(stringWidth(quoted)).toBeLessThanOrEqual(80);
      const at = quoted.indexOf('一定');
      expect(at).toBeGreaterThan(0);
      expect(carets.indexOf('^')).toBe(stringWidth(quoted.slice(0, at)));
      expect(carets.trim()).toBe('^^^^');
      t.keys('C-c');
      await t.waitFor((s) => s.includes('EXIT:'), 'exit');
    } finally {
      t.close();
    }
  });

  it('a Markdown draft: code blocks, inline code and HTML comments are not coached; the fix lands in the prose', async () => {
    const file = join(dir, 'reply.md');
    const draft = '# 回复\n\n```\n我们一定会处理。\n```\n\n请勿写 `我保证`。<!-- 您的投诉 -->\n\n我们一定会在明天送到。\n';
    writeFileSync(file, draft);
    const t = new Terminal(`node ${sh(BIN)} coach --no-backup reply.md`);
    try {
      await t.waitFor((s) => s.includes('in reply.md'), 'the count');
      expect(t.screen()).toContain('1 problem in reply.md');
      expect(t.screen()).toContain('line 9:3');
      // the one finding is the agent's own promise: no safe replacement, so Enter keeps the draft
      expect(await enterThrough(t)).toBe(1);
      await t.waitFor((s) => s.includes('No changes to reply.md'), 'the end');
      await t.waitFor((s) => s.includes('EXIT:0'), 'exit');
      expect(readFileSync(file, 'utf8')).toBe(draft);
    } finally {
      t.close();
    }
  });

  it('copies to clip.exe (WSL) as UTF-16LE with a byte order mark, which clip.exe reads as Unicode', async () => {
    // A stand-in clip.exe that keeps the bytes it is given.
    const bin = join(dir, 'wsl-bin');
    mkdirSync(bin, { recursive: true });
    const clip = join(dir, 'clip-bytes');
    writeFileSync(join(bin, 'clip.exe'), `#!/bin/sh\ncat > ${sh(clip)}\n`);
    chmodSync(join(bin, 'clip.exe'), 0o755);
    const env = { PATH: `${bin}${delimiter}${process.env['PATH']}`, WSL_DISTRO_NAME: 'Ubuntu', DISPLAY: '', WAYLAND_DISPLAY: '' };
    const t = new Terminal(`node ${sh(BIN)} coach`, env);
    try {
      await t.waitFor((s) => s.includes('Paste or type the draft'), 'the paste prompt');
      t.type('关于您的投诉，我们已经收到。');
      t.keys('Enter', 'C-d');
      await enterThrough(t);
      await t.waitFor((s) => s.includes('? Done. What now?'), 'the end');
      // endings for a pasted draft: print, copy, discard
      t.keys('Down', 'Enter');
      await t.waitFor((s) => s.includes('EXIT:'), 'exit');
      expect(t.screen()).toContain('copied to the clipboard (clip.exe)');
      const bytes = readFileSync(clip);
      expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
      expect(bytes.subarray(2).toString('utf16le')).toBe('关于您的反馈，我们已经收到。');
    } finally {
      t.close();
    }
  });
});

describe('huashu coach without a terminal', () => {
  it('refuses, pointing to lint and fix, exit 2', () => {
    const file = join(dir, 'pipe.txt');
    writeFileSync(file, TW_DRAFT);
    const r = spawnSync(process.execPath, [BIN, 'coach', file], { input: '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'huashu: coach is interactive and needs a terminal; use `huashu lint` to report the problems or `huashu fix` to apply the safe fixes\n',
    );
    expect(readFileSync(file, 'utf8')).toBe(TW_DRAFT);
  });
});

describe('the clipboard tools', () => {
  it('clip.exe (WSL) is found and given UTF-16LE with a byte order mark; xclip UTF-8', async () => {
    const bin = join(dir, 'tools-bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['clip.exe', 'xclip']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\ncat > ${sh(join(dir, `${tool}.bytes`))}\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const text = '您好，您的反馈已收到。\n謝謝！';
    const clip = findClipboardTool({ PATH: bin, WSL_DISTRO_NAME: 'Ubuntu' }, 'linux');
    expect(clip?.command).toBe('clip.exe');
    await copyToClipboard({ ...clip!, command: join(bin, 'clip.exe') }, text);
    expect(readFileSync(join(dir, 'clip.exe.bytes'))).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const xclip = findClipboardTool({ PATH: bin, DISPLAY: ':0' }, 'linux');
    expect(xclip?.command).toBe('xclip');
    await copyToClipboard({ ...xclip!, command: join(bin, 'xclip') }, text);
    expect(readFileSync(join(dir, 'xclip.bytes'), 'utf8')).toBe(text);
  });
});

describe('the coach loop with scripted answers', () => {
  it('edit by hand, ignore a rule, and the ending question', async () => {
    const rules = await loadRules();
    const session = new CoachSession('我保證明天送到。您的投訴已收到。您的投訴很重要。', (t) => lintText(t, rules));
    const asked: string[] = [];
    const answers: Action[] = [{ kind: 'edit' }, { kind: 'ignore' }];
    const prompts: CoachPrompts = {
      select: async <T,>(config: { message: string; choices: Choice<T>[] }) => {
        asked.push(config.message);
        if (config.message.startsWith('Done')) return config.choices[0]!.value;
        return answers.shift() as T;
      },
      input: async (config) => {
        expect(config.default).toBe('我保證明天送到。');
        return '我們會盡力明天送到。';
      },
    };
    let out = '';
    const options = { prompts, write: (s: string) => void (out += s), color: false, rules: new Map(rules.rules.map((r) => [r.spec.id, r.spec])), endings: ['save', 'print'] as const, name: 'x.txt' };
    await walk(session, options);
    expect(session.text).toBe('我們會盡力明天送到。您的投訴已收到。您的投訴很重要。');
    expect(session.ignoredRules).toEqual(['negative/complaint-noun']);
    expect(out).toContain('edit → 「我們會盡力明天送到。」  3 → 2 problems left');
    expect(await finish(session, options)).toBe('save');
    expect(out).toContain('- 我保證明天送到。您的投訴已收到。您的投訴很重要。\n+ 我們會盡力明天送到。您的投訴已收到。您的投訴很重要。\n');
    expect(asked).toEqual(['What now?', 'What now?', 'Done. What now?']);
  });

  it("the card's quoted line fits the terminal's width, the carets under the span (no terminal needed)", async () => {
    const rules = await loadRules();
    await loadCellWidths();
    const draft = '您好，关于您上周在我们网站购买的那台洗衣机在安装过程中出现的漏水情况以及师傅上门时间反复更改的事情，我们一定会在明天下午之前给您一个明确的答复。';
    const session = new CoachSession(draft, (t) => lintText(t, rules));
    for (const columns of [40, 80, 120]) {
      const rows = renderCard(session, session.current!, { color: false, rules: new Map(), columns: () => columns }).split('\n');
      const caretRow = rows.findIndex((r) => /^\s*\^+$/.test(r));
      const quoted = rows[caretRow - 1]!;
      expect(stringWidth(quoted)).toBeLessThan(columns);
      expect(rows[caretRow]!.indexOf('^')).toBe(stringWidth(quoted.slice(0, quoted.indexOf('一定'))));
      expect(rows[caretRow]!.trim()).toBe('^^^^');
    }
  });

  it('a change that would leave a JSON draft unreadable is not made', async () => {
    const rules = await loadRules();
    const draft = '{"reply": "我保證明天送到。"}\n';
    const session = new CoachSession(draft, (t) => {
      const r = lintDocument('reply.json', t, rules);
      if ('error' in r) throw new UnreadableDraftError(r.error);
      return r.findings;
    });
    const answers: Action[] = [{ kind: 'edit' }, { kind: 'quit' }];
    const prompts: CoachPrompts = {
      select: async <T,>() => answers.shift() as T,
      input: async (config) => config.default!.replace('我保證', '我"保證'),
    };
    let out = '';
    await walk(session, { prompts, write: (s: string) => void (out += s), color: false, rules: new Map(), endings: ['print'] as const, name: 'reply.json' });
    expect(out).toMatch(/✘ not changed: the file would no longer read \(.+\)\n/);
    expect(session.text).toBe(draft);
    expect(session.canUndo).toBe(false);
    expect(session.queue.length).toBe(1);
  });

  it('stop leaves the rest of the queue; nothing changed means no ending question', async () => {
    const rules = await loadRules();
    const session = new CoachSession('我保證明天送到。', (t) => lintText(t, rules));
    const prompts: CoachPrompts = {
      select: async <T,>() => ({ kind: 'quit' }) as T,
      input: async () => {
        throw new Error('not asked');
      },
    };
    let out = '';
    const options = { prompts, write: (s: string) => void (out += s), color: false, rules: new Map(), endings: ['print'] as const, name: 'the draft' };
    await walk(session, options);
    expect(session.queue.length).toBe(1);
    expect(await finish(session, options)).toBeUndefined();
    expect(out).toContain('No changes to the draft. 1 problem left.');
  });
});
