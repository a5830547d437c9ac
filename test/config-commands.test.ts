// One config for every command: `fix`, `coach`, `audit` and `explain` find huashu.config.yaml from the
// file's folder (or the working directory) upward, or take --config, as `lint` does: a category the
// config turns off is not reported, and a team pack's rules (and its safe fixes) are. Drives the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync, type Run } from './helpers/child.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const HAS_TMUX = (process.env['PATH'] ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'tmux')));


function huashu(args: string[], cwd: string, input = ''): Run {
  return huashuSync(args, { cwd, input, timeout: 60_000, env: { HUASHU_SEEDS: undefined } });
}

// A team pack: the shop's old name is replaced by its new one (a safe fix).
const TEAM_PACK = `pack: team
description: 我們團隊的用語
rules:
  - id: team/old-name
    category: house-style
    severity: warning
    message: 店名已改,請用新店名
    match: { phrases: [快快購] }
    suggest:
      - { kind: replace, text: 速達購, safe: true }
    examples:
      bad: [快快購會幫您查。]
      good: [速達購會幫您查。]
`;
const CONFIG = 'extends: [huashu:recommended, ./team.yaml]\nrules: { blame: off }\n';
// negative/complaint-noun (投訴, a safe fix), blame/customer-fault (是您沒看清楚), team/old-name (快快購)
const DRAFT = '關於您的投訴，我們已經收到。是您沒看清楚說明。快快購會幫您查。\n';
const FIXED = '關於您的回饋，我們已經收到。是您沒看清楚說明。速達購會幫您查。\n';

let tmp: string;
let project: string;
let elsewhere: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  tmp = mkdtempSync(join(tmpdir(), 'huashu-config-commands-'));
  project = join(tmp, 'project');
  elsewhere = join(tmp, 'elsewhere');
  mkdirSync(join(project, 'drafts'), { recursive: true });
  mkdirSync(elsewhere);
  writeFileSync(join(project, 'team.yaml'), TEAM_PACK);
  writeFileSync(join(project, 'huashu.config.yaml'), CONFIG);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('huashu fix', () => {
  it("uses the config found from the file's folder: the team's safe fix is made, the category off is not counted", () => {
    const draft = join(project, 'drafts', 'reply.txt');
    writeFileSync(draft, DRAFT);
    const r = huashu(['fix', '--format', 'json', 'drafts/reply.txt'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { files: { fixed: { ruleId: string; replacement: string }[]; remaining: number }[] };
    expect(report.files[0]!.fixed.map((f) => [f.ruleId, f.replacement]).sort()).toEqual([
      ['negative/complaint-noun', '回饋'],
      ['team/old-name', '速達購'],
    ]);
    // blame is off: nothing is left to report
    expect(report.files[0]!.remaining).toBe(0);
    expect(readFileSync(draft, 'utf8')).toBe(FIXED);
  });

  it('takes --config from anywhere; without a config the team rule is unknown and blame is left', () => {
    const draft = join(elsewhere, 'reply.txt');
    writeFileSync(draft, DRAFT);
    const plain = huashu(['fix', '--dry-run', '--format', 'json', 'reply.txt'], elsewhere);
    const none = JSON.parse(plain.stdout) as { files: { fixed: { ruleId: string }[]; remaining: number }[] };
    expect(none.files[0]!.fixed.map((f) => f.ruleId)).toEqual(['negative/complaint-noun']);
    expect(none.files[0]!.remaining).toBe(1); // blame/customer-fault
    const r = huashu(['fix', '--config', join(project, 'huashu.config.yaml'), 'reply.txt'], elsewhere);
    expect(r).toMatchObject({ code: 0, stdout: 'fixed 2 problems in 1 file; 0 problems left\n' });
    expect(readFileSync(draft, 'utf8')).toBe(FIXED);
    // stdin → stdout: the working directory's config
    expect(huashu(['fix', '-'], project, DRAFT).stdout).toBe(FIXED);
  });
});

describe('huashu audit', () => {
  it("uses the working directory's config (or --config) in every thread", () => {
    const csv = 'speaker,message\n' + Array.from({ length: 6 }, (_, i) => `customer,請問${i}\nagent,${DRAFT.trim()}\n`).join('');
    writeFileSync(join(project, 'chats.csv'), csv);
    writeFileSync(join(elsewhere, 'chats.csv'), csv);
    const byCategory = (r: Run) => (JSON.parse(r.stdout) as { byCategory: Record<string, number> }).byCategory;
    for (const jobs of ['1', '2']) {
      const r = huashu(['audit', 'chats.csv', '--format', 'json', '--quiet', '--jobs', jobs, '--batch-size', '2'], project);
      expect(r.code).toBe(0);
      expect(byCategory(r)).toEqual({ negative: 6, 'house-style': 6 });
    }
    expect(byCategory(huashu(['audit', 'chats.csv', '--format', 'json', '--quiet'], elsewhere))).toEqual({ negative: 6, blame: 6 });
    const r = huashu(['audit', 'chats.csv', '--format', 'json', '--quiet', '--jobs', '2', '--batch-size', '2', '--config', join(project, 'huashu.config.yaml')], elsewhere);
    expect(byCategory(r)).toEqual({ negative: 6, 'house-style': 6 });
  });
});

describe('huashu explain', () => {
  it("explains the team pack's rules and shows a rule the config turns off as off", () => {
    const team = huashu(['explain', 'team/old-name'], project);
    expect(team.code).toBe(0);
    expect(team.stdout).toMatch(/^team\/old-name {2}house-style · warning · pack team\n/);
    expect(team.stdout).toContain('速達購');
    const off = huashu(['explain', 'blame/customer-fault', '--format', 'json'], project);
    expect(JSON.parse(off.stdout).rules[0]).toMatchObject({ id: 'blame/customer-fault', severity: 'off', config: join(project, 'huashu.config.yaml') });
    expect(huashu(['explain', 'blame/customer-fault'], project).stdout).toContain(`blame · off in ${join(project, 'huashu.config.yaml')} · pack blame`);
    // elsewhere there is no team pack, unless --config names it
    expect(huashu(['explain', 'team/old-name'], elsewhere).code).toBe(2);
    expect(huashu(['explain', 'team/old-name', '--config', join(project, 'huashu.config.yaml')], elsewhere).code).toBe(0);
    expect(JSON.parse(huashu(['explain', 'blame/customer-fault', '--format', 'json'], elsewhere).stdout).rules[0].severity).toBe('warning');
  });
});

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!HAS_TMUX)('huashu coach (tmux; skipped without it)', { timeout: 120_000 }, () => {
  it("coaches with the draft's config: the team rule is a card, the category off is not", async () => {
    writeFileSync(join(project, 'drafts', 'coach.txt'), DRAFT);
    const socket = `huashu-cfg-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const script = `cd ${sh(project)} && env -u FORCE_COLOR NO_COLOR=1 node ${sh(BIN)} coach drafts/coach.txt; echo "EXIT:$?"; sleep 60`;
    expect(tmux('-f', '/dev/null', 'new-session', '-d', '-x', '200', '-y', '60', script).status).toBe(0);
    try {
      const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-1000').stdout;
      const t0 = Date.now();
      let s = screen();
      while (!s.includes('What now?')) {
        if (Date.now() - t0 > 60_000) throw new Error(`coach did not start; screen:\n${s}`);
        await sleep(100);
        s = screen();
      }
      // negative/complaint-noun and team/old-name; blame/customer-fault is off
      expect(s).toContain('2 problems in drafts/coach.txt');
      expect(s).not.toContain('不要把錯歸到客戶身上');
      tmux('send-keys', 'Enter');
      while (!s.includes('店名已改,請用新店名')) {
        if (Date.now() - t0 > 60_000) throw new Error(`no team card; screen:\n${s}`);
        await sleep(100);
        s = screen();
      }
      tmux('send-keys', 'C-c');
    } finally {
      tmux('kill-server');
    }
  });
});
