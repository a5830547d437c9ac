// `huashu fix` and `huashu explain` through the real command line (bin/huashu.js on the built dist/), and
// fix's two promises on real agent replies from the research corpus (skipped when it is absent).
import type { Finding } from '../src/engine/findings.js';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeText } from '../src/inputs/write.js';
import { huashuChild } from './helpers/child.js';
import { fixText, safeSuggestion } from '../src/edits/apply.js';
import { lintText } from '../src/engine/lint.js';
import { loadRules } from '../src/rules/load.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const SEEDS = join(ROOT, '..', 'shared', 'seeds');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const CORPUS_FILES = ['csds_jd.jsonl', 'jddc_chat_sample.jsonl', 'stc3_weibo_helpdesk.jsonl'].map((f) => join(CORPUS, f));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function huashu(args: string[], options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env['FORCE_COLOR'];
  if (options.env && 'HUASHU_SEEDS' in options.env && options.env['HUASHU_SEEDS'] === undefined) delete env['HUASHU_SEEDS'];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: options.input ?? '', encoding: 'utf8', env, timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** huashu in a child process, not waited for: for runs side by side. */
const huashuAsync = (args: string[]) => huashuChild(args, ROOT);

/** Extended attributes, through Python (Node has no call for them); undefined where unsupported. */
function xattr(file: string, value?: string): string | undefined {
  const code = value === undefined ? `import os,sys; sys.stdout.write(os.getxattr(sys.argv[1], 'user.huashu').decode())` : `import os,sys; os.setxattr(sys.argv[1], 'user.huashu', sys.argv[2].encode())`;
  const r = spawnSync('python3', ['-c', code, file, value ?? ''], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-fix-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TW = '關於您的投訴，我們已經收到。\r\n您的投訴我們會處理。\r\n';
const TW_FIXED = '關於您的回饋，我們已經收到。\r\n您的回饋我們會處理。\r\n'; // Taiwan vocabulary: 回饋

describe('huashu fix', () => {
  it('--dry-run prints a unified diff and changes nothing', () => {
    const file = join(dir, 'dry.txt');
    writeFileSync(file, TW);
    const r = huashu(['fix', '--dry-run', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,2 @@\n`);
    expect(r.stdout).toContain('-關於您的投訴，我們已經收到。\r\n');
    expect(r.stdout).toContain('+關於您的回饋，我們已經收到。\r\n');
    expect(r.stdout).toContain('would fix 2 problems in 1 file; 0 problems left');
    expect(readFileSync(file, 'utf8')).toBe(TW);
  });

  it('rewrites UTF-16LE with BOM and CRLF in place, keeping encoding, line endings and mode', () => {
    const file = join(dir, 'utf16.txt');
    writeFileSync(file, encodeText(TW, 'utf-16le'));
    chmodSync(file, 0o600);
    const r = huashu(['fix', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('fixed 2 problems in 1 file; 0 problems left\n');
    expect(readFileSync(file).equals(encodeText(TW_FIXED, 'utf-16le'))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps a UTF-8 BOM; fixing twice is fixing once; exit 1 while an error-level finding is left', () => {
    const file = join(dir, 'bom.txt');
    const text = '您的投訴已收到，我保證明天處理好。';
    writeFileSync(file, encodeText(text, 'utf-8-bom'));
    const first = huashu(['fix', file]);
    expect(first.code).toBe(1); // 我保證 is for the agent to reword: fix does not touch it
    expect(first.stdout).toContain('fixed 1 problem in 1 file; 1 problem left');
    const once = readFileSync(file);
    expect(once.equals(encodeText('您的回饋已收到，我保證明天處理好。', 'utf-8-bom'))).toBe(true);
    const second = huashu(['fix', file]);
    expect(second.stdout).toContain('fixed 0 problems in 0 files');
    expect(readFileSync(file).equals(once)).toBe(true);
  });

  it('changes exactly the spans lint reports with a safe suggestion, nothing else', () => {
    const text = '親，關於您的投訴，我們一定會處理。\n顧客的投訴熱線是 123。\n您這次的投訴已經轉給主管了～\n';
    const file = join(dir, 'spans.txt');
    writeFileSync(file, text);
    const lint = JSON.parse(huashu(['lint', '--format', 'json', file]).stdout) as { files: { findings: Finding[] }[] };
    const safe = lint.files[0]!.findings.filter((f) => f.suggestions.some((s) => s.kind === 'replace' && s.safe));
    expect(safe.length).toBe(2);
    let expected = text;
    for (const f of [...safe].reverse()) expected = expected.slice(0, f.offset) + safeSuggestion(f, text)!.text + expected.slice(f.offset + f.length);
    huashu(['fix', file]);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('reads standard input and writes the fixed text to standard output, in its script', () => {
    const r = huashu(['fix', '-'], { input: '关于您的投诉，我们已经收到。\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('关于您的反馈，我们已经收到。\n');
    const json = JSON.parse(huashu(['fix', '--format', 'json'], { input: '您的投訴已收到。' }).stdout);
    expect(json.files[0]).toMatchObject({ path: '<stdin>', changed: true, text: '您的回饋已收到。', remaining: 0 });
    expect(json.files[0].fixed[0]).toMatchObject({ ruleId: 'negative/complaint-noun', line: 1, column: 3, excerpt: '投訴', replacement: '回饋' });
  });

  it('reports a missing file and an invalid one with exit 2, and still fixes the others', () => {
    const good = join(dir, 'good.txt');
    const bad = join(dir, 'bad.txt');
    writeFileSync(good, '您的投訴已收到。');
    writeFileSync(bad, Buffer.from([0xe6, 0x82, 0xa8, 0xff]));
    const r = huashu(['fix', join(dir, 'missing.txt'), bad, good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`huashu: ${join(dir, 'missing.txt')}: no such file or directory`);
    expect(r.stderr).toContain(`huashu: ${bad}: invalid UTF-8 at byte 3 (line 1)`);
    expect(readFileSync(good, 'utf8')).toBe('您的回饋已收到。');
    expect(readFileSync(bad).equals(Buffer.from([0xe6, 0x82, 0xa8, 0xff]))).toBe(true);
  });
});

describe('huashu fix keeps files safe (issue 19)', () => {
  const LINE = '关于您的投诉，我们已经收到。您的问题我们会处理。\n';
  const FIXED = '关于您的反馈，我们已经收到。您的情况我们会处理。\n';
  const fixedCount = (r: Run) => Number(/fixed (\d+) problems? in (\d+) files?/.exec(r.stdout)?.[1]);
  const changedFiles = (r: Run) => Number(/fixed \d+ problems? in (\d+) files?/.exec(r.stdout)?.[1]);

  it('two runs at once take turns per file: no fix is lost, no file is fixed twice', async () => {
    const tree = join(dir, 'concurrent');
    mkdirSync(tree);
    const n = 300;
    const names = Array.from({ length: n }, (_, i) => join(tree, `r${String(i).padStart(3, '0')}.txt`));
    // Different fixes in the two runs: each must see the other's writes.
    for (const f of names) writeFileSync(f, LINE);
    const [a, b] = await Promise.all([huashuAsync(['fix', '--only', 'negative/complaint-noun', tree]), huashuAsync(['fix', '--only', 'negative/problem-noun', tree])]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(names.filter((f) => readFileSync(f, 'utf8') !== FIXED)).toEqual([]);
    expect(fixedCount(a) + fixedCount(b)).toBe(2 * n);
    // The same fixes in both runs: each file is fixed by one of them.
    for (const f of names) writeFileSync(f, LINE);
    const [c, d] = await Promise.all([huashuAsync(['fix', tree]), huashuAsync(['fix', tree])]);
    expect([c.code, d.code, c.stderr, d.stderr]).toEqual([0, 0, '', '']);
    expect(changedFiles(c) + changedFiles(d)).toBe(n);
    expect(fixedCount(c) + fixedCount(d)).toBe(2 * n);
    expect(names.filter((f) => readFileSync(f, 'utf8') !== FIXED)).toEqual([]);
    expect(readdirSync(tree).filter((f) => f.startsWith('.'))).toEqual([]); // no lock or temporary file left
  }, 120_000);

  it('waits for another run\'s lock, and breaks one left by a run that was killed', async () => {
    const file = join(dir, 'locked.txt');
    const lock = join(dir, '.locked.txt.huashu-lock');
    writeFileSync(file, LINE);
    // held by a live process (this one) for a second, then let go
    writeFileSync(lock, `${process.pid} ${hostname()} test\n`);
    const t0 = Date.now();
    const waiting = huashuAsync(['fix', file]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(lock);
    const r = await waiting;
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(readFileSync(file, 'utf8')).toBe(FIXED);
    // left by a process that is gone
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(file, LINE);
    writeFileSync(lock, `${dead} ${hostname()} test\n`);
    expect(huashu(['fix', file])).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(FIXED);
    expect(existsSync(lock)).toBe(false);
    // left empty by a run killed between creating and writing it, a minute ago
    writeFileSync(file, LINE);
    writeFileSync(lock, '');
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(huashu(['fix', file])).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses a read-only file with a clear message, and fixes the others', () => {
    const tree = join(dir, 'readonly');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.txt'), LINE);
    writeFileSync(join(tree, 'b.txt'), LINE);
    chmodSync(join(tree, 'a.txt'), 0o444);
    const r = huashu(['fix', tree]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`huashu: ${join(tree, 'a.txt')}: read-only file (mode 0444); not changed\n`);
    expect(r.stdout).toBe('fixed 2 problems in 1 file; 2 problems left (huashu lint to list them, huashu coach to work through them); 1 file could not be fixed\n');
    expect(readFileSync(join(tree, 'a.txt'), 'utf8')).toBe(LINE);
    expect(statSync(join(tree, 'a.txt')).mode & 0o777).toBe(0o444);
    expect(readFileSync(join(tree, 'b.txt'), 'utf8')).toBe(FIXED);
    // Nothing to fix in a read-only file is no error.
    chmodSync(join(tree, 'b.txt'), 0o444);
    expect(huashu(['fix', join(tree, 'b.txt')]).code).toBe(0);
  });

  it('keeps hard links, owner, mode and extended attributes', () => {
    const tree = join(dir, 'meta');
    mkdirSync(tree);
    const linked = join(tree, 'linked.txt');
    const other = join(dir, 'meta-other-name.txt');
    writeFileSync(linked, LINE);
    linkSync(linked, other);
    const inode = statSync(linked).ino;
    const owned = join(tree, 'owned.txt');
    writeFileSync(owned, LINE);
    chmodSync(owned, 0o640);
    const root = process.getuid?.() === 0;
    if (root) chownSync(owned, 1234, 2345);
    const tagged = join(tree, 'tagged.txt');
    writeFileSync(tagged, LINE);
    const hasXattr = xattr(tagged, 'kept') !== undefined;

    const r = huashu(['fix', tree]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // the other name of a hard-linked file sees the fix: the file was written, not replaced
    expect(readFileSync(other, 'utf8')).toBe(FIXED);
    expect(statSync(linked).ino).toBe(inode);
    expect(statSync(linked).nlink).toBe(2);
    expect(readFileSync(owned, 'utf8')).toBe(FIXED);
    expect(statSync(owned).mode & 0o7777).toBe(0o640);
    if (root) expect([statSync(owned).uid, statSync(owned).gid]).toEqual([1234, 2345]);
    expect(readFileSync(tagged, 'utf8')).toBe(FIXED);
    if (hasXattr) expect(xattr(tagged)).toBe('kept');
    // without GNU cp (not on PATH), owner and mode are still kept
    writeFileSync(owned, LINE);
    expect(huashu(['fix', owned], { env: { PATH: '/nonexistent' } })).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(owned, 'utf8')).toBe(FIXED);
    expect(statSync(owned).mode & 0o7777).toBe(0o640);
    if (root) expect([statSync(owned).uid, statSync(owned).gid]).toEqual([1234, 2345]);
  });

  it.skipIf(process.getuid?.() !== 0)('someone else\'s file this user may write is written in place, keeping its owner', () => {
    const tree = join(dir, 'shared');
    mkdirSync(tree);
    chmodSync(dir, 0o755);
    chmodSync(tree, 0o777);
    const file = join(tree, 'team.txt');
    writeFileSync(file, LINE);
    chmodSync(file, 0o666); // root's file, writable by all
    const inode = statSync(file).ino;
    const r = spawnSync(process.execPath, [BIN, 'fix', file], { cwd: tree, encoding: 'utf8', uid: 1234, gid: 1234, env: { ...process.env, NO_COLOR: '1' } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(file, 'utf8')).toBe(FIXED);
    expect([statSync(file).uid, statSync(file).ino, statSync(file).mode & 0o777]).toEqual([0, inode, 0o666]);
    expect(readdirSync(tree)).toEqual(['team.txt']);
  });

  it('in a directory walk, does not follow a link to a file outside the tree', () => {
    const tree = join(dir, 'walk');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    const outside = join(dir, 'walk-outside.txt');
    writeFileSync(outside, LINE);
    writeFileSync(join(tree, 'sub', 'inside.txt'), LINE);
    symlinkSync(outside, join(tree, 'out.txt'));
    symlinkSync(join('sub', 'inside.txt'), join(tree, 'in.txt'));
    const r = huashu(['fix', tree]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`huashu: warning: ${join(tree, 'out.txt')}: symbolic link to a file outside the directory, not followed\n`);
    expect(readFileSync(outside, 'utf8')).toBe(LINE);
    expect(readFileSync(join(tree, 'sub', 'inside.txt'), 'utf8')).toBe(FIXED);
    // named directly, a link is followed (and stays a link)
    expect(huashu(['fix', join(tree, 'out.txt')]).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe(FIXED);
  });

  it('is linear in the number of fixes: 40,000 fixes in a few seconds', () => {
    const file = join(dir, 'many.txt');
    writeFileSync(file, LINE.repeat(20_000));
    const t0 = Date.now();
    const r = huashu(['fix', file]);
    const ms = Date.now() - t0;
    expect(r.stdout).toBe('fixed 40000 problems in 1 file; 0 problems left\n');
    expect(readFileSync(file, 'utf8')).toBe(FIXED.repeat(20_000));
    expect(ms).toBeLessThan(10_000); // quadratic, it took 24-32 s; linear, under 1 s
  }, 60_000);

  it('a safe replacement that recreates its own trigger is never offered: nothing written', () => {
    const pack = join(dir, 'grow.yaml');
    writeFileSync(
      pack,
      ['pack: team', 'rules:', '  - id: team/relax', '    kind: phrase', '    category: negative', '    severity: warning', '    message: 換個說法', '    match:', '      phrases: [放心]', '    boundary: none', '    suggest:', '      - kind: replace', '        text: 請放心', '        safe: true', ''].join('\n'),
    );
    const file = join(dir, 'grow.txt');
    writeFileSync(file, '您放心，我們會處理。\n');
    // 請放心 would be flagged by the same rule where it is put: the suggestion is not offered
    const lint = huashu(['lint', '-f', 'json', '-r', pack, file]);
    const finding = JSON.parse(lint.stdout).files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'team/relax');
    expect(finding.suggestions.filter((s: { kind: string }) => s.kind === 'replace')).toEqual([]);
    const r = huashu(['fix', '-r', pack, file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('您放心，我們會處理。\n');
  });
});

describe('fix on real agent replies (research corpus)', () => {
  it.skipIf(!existsSync(CORPUS))('touches only the flagged spans and is idempotent', async () => {
    const rules = await loadRules();
    const lint = (t: string) => lintText(t, rules);
    // Agent replies that name a complaint, where the safe 投訴 → 反饋 swap may apply, and the first
    // thousand others of each file.
    const replies = CORPUS_FILES.filter(existsSync).flatMap((file) => {
      const agent = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { role: string; text: string })
        .filter((t) => t.role === 'agent')
        .map((t) => t.text);
      return [...agent.filter((t) => /投[诉訴]|客[诉訴]/.test(t)), ...agent.slice(0, 1000)];
    });
    let changed = 0;
    for (const reply of replies) {
      const once = fixText(reply, lint);
      if (once.text === reply) continue;
      changed++;
      // outside the fixed spans the text is the same
      let expected = reply;
      for (const f of [...once.fixed].reverse()) expected = expected.slice(0, f.offset) + safeSuggestion(f, reply)!.text + expected.slice(f.offset + f.length);
      expect(once.text).toBe(expected);
      expect(fixText(once.text, lint).text).toBe(once.text);
    }
    // the weibo helpdesk replies do say 您的投诉 (the count depends on the rule packs: at least one)
    expect(changed).toBeGreaterThan(0);
  });
});

describe('huashu explain', () => {
  it('teaches a rule: message, why with citation and passage, examples in both scripts, alternatives', () => {
    const r = huashu(['explain', 'negative/complaint-noun', ...(existsSync(SEEDS) ? ['--seeds', SEEDS] : [])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('「投訴」是負面詞匯,對客戶說時改用中性的「反饋」');
    expect(r.stdout).toContain('— 《客戶服務的培訓課件》§ 說話的藝術');
    // bad example as written (traditional) and in simplified; and the other way round
    expect(r.stdout).toContain('✗ 您的投訴我們會處理。\n    您的投诉我们会处理。');
    expect(r.stdout).toContain('✗ 关于您的投诉，我们已经收到。\n    關於您的投訴，我們已經收到。');
    expect(r.stdout).toContain('1. 反饋  (replace the flagged words, safe: huashu fix applies it where its guard holds)\n     反馈');
    if (existsSync(SEEDS)) expect(r.stdout).toContain('明確、簡練、親切表達要點明確');
  });

  it('without the seed documents shows the citations only', () => {
    const r = huashu(['explain', 'negative/complaint-noun'], { env: { HUASHU_SEEDS: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('— 《客戶服務的培訓課件》§ 說話的藝術');
    expect(r.stdout).not.toContain('明確、簡練、親切表達要點明確');
  });

  it('a category shows every rule in it; json for programs', () => {
    const r = huashu(['explain', 'blame']);
    expect(r.code).toBe(0);
    const json = JSON.parse(huashu(['explain', 'blame', '--format', 'json']).stdout) as { rules: { id: string; examples: { bad: { flagged: unknown[] }[] } }[] };
    expect(json.rules.length).toBeGreaterThan(1);
    for (const rule of json.rules) {
      expect(r.stdout).toContain(rule.id);
      // the real engine marks what each bad example flags
      for (const bad of rule.examples.bad) expect(bad.flagged.length).toBeGreaterThan(0);
    }
  });

  it('a seeds folder that is not there is an error, not a page without passages (issue 19)', () => {
    const missing = join(dir, 'no-such-seeds');
    expect(huashu(['explain', 'blame', '--seeds', missing])).toMatchObject({ code: 2, stdout: '', stderr: `huashu: --seeds: ${missing}: no such directory\n` });
    expect(huashu(['explain', 'blame', '--seeds', BIN])).toMatchObject({ code: 2, stderr: `huashu: --seeds: ${BIN}: not a directory\n` });
    expect(huashu(['explain', 'blame'], { env: { HUASHU_SEEDS: missing } })).toMatchObject({ code: 2, stderr: `huashu: HUASHU_SEEDS: ${missing}: no such directory\n` });
    // the help's example works anywhere, not only in huashu's own repository
    expect(huashu(['explain', '--help']).stdout).not.toContain('../shared');
  });

  it('an unknown name: did-you-mean and exit 2', () => {
    const r = huashu(['explain', 'negative/complaint-nouns']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("huashu: explain: no rule, category or pack named 'negative/complaint-nouns' — did you mean 'negative/complaint-noun'? (huashu explain overpromise lists a category)\n");
  });
});
