// Issue 19, "Reliability round 2" (hangs, memory, security), through the real CLI. Each case failed before
// its fix: hangs are run under a time bound, memory under an RSS bound, and hostile names or configs must
// give a one-line error that says what and where, without echoing what should stay private.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const TMP = mkdtempSync(join(tmpdir(), 'huashu-rel2-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in ms. */
  ms: number;
}

/** Run huashu; a run that outlives `timeout` (default 30 s) fails the test: it hung. */
function huashu(args: string[], options: { input?: string; cwd?: string; timeout?: number; stdio?: SpawnSyncOptions['stdio'] } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    ...(options.stdio ? { stdio: options.stdio } : { input: options.input ?? '' }),
    encoding: 'utf8',
    env,
    timeout: options.timeout ?? 30_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error; // ETIMEDOUT: it hung
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Run huashu's main() in a process that reports its peak resident memory (all threads), in MB. */
function withPeakRss(args: string[], options: { stdin?: number; timeout?: number } = {}): Run & { rssMb: number } {
  const script = `import { main } from ${JSON.stringify(join(ROOT, 'dist', 'cli', 'index.js'))};
    const code = await main(['node', 'huashu', ...${JSON.stringify(args)}]);
    process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n');
    process.exit(code);`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: options.timeout ?? 120_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  const rss = /maxrss (\d+)/.exec(r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/maxrss \d+\n/, ''), ms: Date.now() - t0, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function file(rel: string, content: string | Buffer): string {
  const path = join(TMP, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function fifo(rel: string): string {
  const path = join(TMP, rel);
  mkdirSync(dirname(path), { recursive: true });
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return path;
}

/** A project folder: `extends` and `model` are confined to the nearest folder with package.json or .git. */
function project(name: string): string {
  return file(`${name}/package.json`, '{}\n').replace(/package\.json$/, '');
}

function expectOneLineError(r: Run, expected: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(expected);
}

const pattern = (id: string, key: 'patterns' | 'sequences', source: string, kind = key === 'patterns' ? 'pattern' : 'sequence') =>
  `pack: evil\nrules:\n  - id: ${id}\n    kind: ${kind}\n    category: negative\n    severity: error\n    message: m\n    match:\n      ${key}: ['${source}']\n`;

describe('9: every user regular expression is checked for catastrophic backtracking', () => {
  it('refuses a sequence rule whose /…/ element backtracks (it took 41 s on 36 characters)', () => {
    const pack = file('redos/seq.yaml', pattern('evil/seq', 'sequences', '我 /(a+)+b/'));
    const r = huashu(['lint', '--rules', pack, '-'], { input: '我 ' + 'a'.repeat(36) + '\n' });
    expectOneLineError(r, /seq\.yaml:9:23: rule 'evil\/seq': match\.sequences: regular expression can backtrack catastrophically .*exponential/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('checks a long alternation branch by branch (recheck timed out and the trial only tried one-character runs)', () => {
    const words = Array.from({ length: 400 }, (_, i) => `词${i}好`).join('|');
    const pack = file('redos/alt.yaml', pattern('evil/alt', 'patterns', `(?:${words})|(?:(?:xy)+)+z`));
    const r = huashu(['lint', '--rules', pack, '-'], { input: 'xy'.repeat(35) + '\n' });
    expectOneLineError(r, /alt\.yaml:9:18: rule 'evil\/alt': match\.patterns: regular expression can backtrack catastrophically at 'xy' \(exponential/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("refuses a config's placeholder pattern that backtracks (it took 65 s on 33 characters)", () => {
    const dir = project('redos-placeholder');
    writeFileSync(join(dir, 'huashu.config.yaml'), "placeholders: ['(a+)+$']\n");
    writeFileSync(join(dir, 'a.txt'), 'a'.repeat(33) + '!\n');
    const r = huashu(['lint', join(dir, 'a.txt')]);
    expectOneLineError(r, /huashu\.config\.yaml:1:16: placeholders: regular expression can backtrack catastrophically/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('refuses a pattern the analysis cannot decide (a trial run on sample text proves nothing)', () => {
    // The safe-alternation fixture's group twice, then more: not a top-level alternation any more, and far
    // beyond what the analysis decides in its time on any machine.
    const alternation = /patterns: \['(.*)'\]/.exec(readFileSync(join(ROOT, 'test', 'hostile', 'packs', 'safe-alternation.yaml'), 'utf8'))![1]!;
    const pack = file('redos/undecided.yaml', pattern('evil/undecided', 'patterns', `${alternation}[，,]?${alternation}(?:[^，。]{0,8}(?:吗|呢))?`));
    const r = huashu(['lint', '--rules', pack, '-'], { input: '您好\n', timeout: 40_000 });
    expectOneLineError(r, /undecided\.yaml:9:18: rule 'evil\/undecided': match\.patterns: regular expression could not be shown free of catastrophic backtracking \(the analysis ran out of time\)/);
  }, 60_000);

  it('still accepts safe patterns, words and bounded repetitions', () => {
    const pack = file('redos/fine.yaml', pattern('fine/x', 'patterns', '(?:保证金|一定不会)[^，。]{0,6}(?:退|还)'));
    const r = huashu(['lint', '--rules', pack, '-'], { input: '您好\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('10: devices, FIFOs and endless inputs are refused or cut off', () => {
  it('refuses /dev/zero and a FIFO named as a draft, and lints the other files', () => {
    const pipe = fifo('inputs/draft.txt');
    const ok = file('inputs/ok.txt', '我保证\n');
    const r = huashu(['lint', '-f', 'json', '/dev/zero', pipe, ok], { timeout: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huashu: /dev/zero: not a regular file (a device): name only files, or pipe it in as - (standard input)\n');
    expect(r.stderr).toContain(`huashu: ${pipe}: not a regular file (a FIFO)`);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: unknown[]; error?: string }[] };
    expect(report.files.find((f) => f.path === ok)!.findings.length).toBeGreaterThan(0);
    // fix reads its drafts the same way
    const fixed = huashu(['fix', '--dry-run', '/dev/zero', pipe], { timeout: 20_000 });
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain(`huashu: ${pipe}: not a regular file (a FIFO)`);
  });

  it('stops reading standard input at the size limit, in bounded memory (it read /dev/zero until 7-9 GB)', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const r = withPeakRss(['lint', '-'], { stdin: zero, timeout: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('huashu: <stdin>: too large (more than 128 MB)\n');
      expect(r.rssMb).toBeLessThan(600);
    } finally {
      closeSync(zero);
    }
  }, 90_000);

  it('refuses a FIFO as an extends target or a classifier model, with file:line:column', () => {
    const dir = project('fifo-config');
    fifo('fifo-config/pipe.yaml');
    writeFileSync(join(dir, 'huashu.config.yaml'), 'extends: [./pipe.yaml]\n');
    expectOneLineError(huashu(['lint', '-c', join(dir, 'huashu.config.yaml'), '-'], { input: '好\n', timeout: 20_000 }), /huashu\.config\.yaml:1:11: extends: '.*pipe\.yaml': not a regular file \(a FIFO\)$/);

    fifo('fifo-config/model.json');
    const pack = file(
      'fifo-config/model.yaml',
      'pack: m\nrules:\n  - id: m/c\n    kind: classifier\n    category: negative\n    message: m\n    match: { model: ./model.json, threshold: 0.9 }\n',
    );
    expectOneLineError(huashu(['lint', '--rules', pack, '-'], { input: '好\n', timeout: 20_000 }), /model\.yaml:3:5: rule 'm\/c': classifier model .*model\.json: not a regular file \(a FIFO\)$/);
  });
});

describe('13: deep nesting is one file’s error, in bounded time', () => {
  it('refuses 1,200 list levels, 8,000 quote markers, JSON 3,000 deep and 300,000 nested <div>, and reports the other files', () => {
    const list = file('deep/list.md', Array.from({ length: 1200 }, (_, i) => '  '.repeat(i) + '- 我保证\n').join(''));
    const quotes = file('deep/quote.md', '>'.repeat(8000) + ' 我保证\n');
    const json = file('deep/deep.json', '['.repeat(3000) + '"我保证"' + ']'.repeat(3000));
    const html = file('deep/deep.html', '<div>'.repeat(300_000) + '我保证' + '</div>'.repeat(300_000));
    const ok = file('deep/ok.md', '- 我保证\n');
    const r = huashu(['lint', '-f', 'json', list, quotes, json, html, ok], { timeout: 20_000 });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: unknown[]; error?: string }[] };
    expect(report.files.map((f) => [f.path, f.error])).toEqual([
      [list, 'nested too deeply (more than 100 levels) at line 101, column 201'],
      [quotes, 'nested too deeply (more than 100 levels) at line 1, column 101'],
      [json, 'nested too deeply (more than 100 levels) at line 1, column 101'],
      [html, 'nested too deeply (more than 1000 levels) at line 1, column 5001'],
      [ok, undefined],
    ]);
    expect(report.files[4]!.findings).toHaveLength(1);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('refuses a paragraph of 40,000 emphasis markers (32 s before), and reads one of 4,000', () => {
    const stars = file('deep/stars.md', '好\n\n' + '**'.repeat(10_000) + '我保证' + '**'.repeat(10_000) + '\n');
    const fine = file('deep/stars-ok.md', '**'.repeat(1000) + '我保证' + '**'.repeat(1000) + '\n');
    const r = huashu(['lint', '-f', 'json', stars, fine], { timeout: 20_000 });
    const report = JSON.parse(r.stdout) as { files: { findings: unknown[]; error?: string }[] };
    expect(report.files[0]!.error).toBe('too many emphasis or link markers (* _ [ ]) in one paragraph (more than 5000) at line 3, column 1');
    expect(report.files[1]!.findings).toHaveLength(1);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('still reads a list 98 levels deep, and HTML with 900 nested elements and unclosed <li> and <p>', () => {
    const list = file('deep/list98.md', Array.from({ length: 98 }, (_, i) => '  '.repeat(i) + '- 我保证\n').join(''));
    const r = huashu(['lint', '-f', 'json', list]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { files: { findings: unknown[] }[] }).files[0]!.findings).toHaveLength(98);
    const html = file('deep/ok.html', '<div>'.repeat(900) + '<ul>' + '<li><p>我保证'.repeat(2000) + '</ul><script>' + '<div>'.repeat(2000) + '</script>' + '</div>'.repeat(900));
    const h = huashu(['lint', '-f', 'json', html]);
    expect(h.code).toBe(1);
    expect((JSON.parse(h.stdout) as { files: { findings: unknown[] }[] }).files[0]!.findings).toHaveLength(2000);
  });
});

const csv = (rows: string[][]) => rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';

describe('14: audit --jobs is capped at the number of CPUs', () => {
  const cores = availableParallelism();
  it('says so on stderr and stays in bounded memory (--jobs 32 took 2.1 GB; 99999999 aborted V8)', () => {
    const export_ = file('jobs/chats.csv', csv([['conversation_id', 'speaker', 'message'], ...Array.from({ length: 50 }, (_, i) => [`c${i}`, 'agent', '我保证明天送到'])]));
    const r = withPeakRss(['audit', '--jobs', '64', export_]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`huashu: note: --jobs 64 is more than the ${cores} CPU${cores === 1 ? '' : 's'} here: using ${cores}\n`);
    expect(r.rssMb).toBeLessThan(200 + 100 * cores);
    const huge = huashu(['audit', '--jobs', '99999999', export_], { timeout: 60_000 });
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain(`using ${cores}`);
  }, 120_000);
});

describe('14: the per-agent table is bounded', () => {
  it('counts agents beyond the first 10,000 together', () => {
    const rows = [['speaker', 'agent', 'message']];
    for (let i = 0; i < 10_050; i++) rows.push(['agent', `agent-${i}`, i % 2 ? '您好' : '我保证明天送到']);
    const summary = join(TMP, 'agents-summary.json');
    const r = huashu(['audit', '--jobs', '1', '--summary', summary, file('agents/chats.csv', csv(rows))], { timeout: 120_000 });
    expect(r.code).toBe(1);
    const byAgent = (JSON.parse(readFileSync(summary, 'utf8')) as { byAgent: { agent: string; replies: number }[] }).byAgent;
    expect(byAgent).toHaveLength(10_001);
    expect(byAgent.find((a) => a.agent === '(other agents)')?.replies).toBe(50);
  }, 150_000);
});

describe('18: settings that silently check nothing are errors', () => {
  it('refuses --encoding base64 and utf32 (0 rows, exit 0 before)', () => {
    const export_ = file('enc/chats.csv', csv([['speaker', 'message'], ['agent', '我保证']]));
    for (const encoding of ['base64', 'utf32', 'hex']) {
      expectOneLineError(huashu(['audit', '--encoding', encoding, export_]), new RegExp(`^huashu: --encoding: unsupported encoding '${encoding}'`));
    }
    expect(huashu(['audit', '--jobs', '1', '--encoding', 'utf8', export_]).code).toBe(1);
  });

  it('refuses extends of a folder with no rule packs, in lint and in rules test', () => {
    const dir = project('empty-extends');
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'README.md'), 'no packs here\n');
    const config = file('empty-extends/huashu.config.yaml', 'extends: [./rules]\n');
    const expected = /huashu\.config\.yaml:1:11: extends: '.*rules': no rule packs \(\.yaml or \.yml files\) in this directory$/;
    expectOneLineError(huashu(['lint', '-c', config, '-'], { input: '我保证\n' }), expected);
    expectOneLineError(huashu(['rules', 'test', '-c', config]), expected);
    // A pack with no rules tests nothing: that is no pass either.
    const empty = file('empty-extends/empty.yaml', 'pack: empty\nrules: []\n');
    expectOneLineError(huashu(['rules', 'test', empty]), /^huashu: no rules to test in .*empty\.yaml$/);
  });
});

describe('20: audit ignores huashu-disable comments inside transcript messages', () => {
  it('reports a reply an agent tried to hide from QA', () => {
    const export_ = file('directives/chats.csv', csv([['conversation_id', 'speaker', 'message'], ['c1', 'agent', '我保證明天到 # huashu-disable-line'], ['c2', 'agent', '<!-- huashu-disable -->我保證明天到']]));
    const out = join(TMP, 'directives', 'findings.jsonl');
    const r = huashu(['audit', '--jobs', '1', '--out', out, export_]);
    expect(r.code).toBe(1);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; rule: string });
    expect(new Set(rows.map((f) => f.row))).toEqual(new Set([1, 2]));
    expect(rows.some((f) => f.rule === 'overpromise/guarantee')).toBe(true);
  });
});

describe('21: extends and model stay inside the project, and errors never echo file content', () => {
  it('refuses extends: [/etc/passwd] without quoting it', () => {
    const dir = project('confine');
    const config = file('confine/huashu.config.yaml', 'extends: [/etc/passwd]\n');
    const r = huashu(['lint', '-c', config, '-'], { input: '好\n' });
    expectOneLineError(r, /huashu\.config\.yaml:1:11: extends: '\/etc\/passwd': outside the project \(.*confine\)/);
    expect(r.stderr).not.toContain('root:');
    // A file inside the project that is neither a pack nor a config is not quoted either.
    writeFileSync(join(dir, 'secret.yaml'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(config, 'extends: [./secret.yaml]\n');
    const inside = huashu(['lint', '-c', config, '-'], { input: '好\n' });
    expectOneLineError(inside, /huashu\.config\.yaml:1:11: extends: '.*secret\.yaml': neither a rule pack \(no top-level 'pack:'\) nor a config/);
    expect(inside.stderr).not.toContain('root:');
    // Nor through a symbolic link or ../
    writeFileSync(config, 'extends: [../confine-outside.yaml]\n');
    file('confine-outside.yaml', 'pack: outside\nrules: []\n');
    expectOneLineError(huashu(['lint', '-c', config, '-'], { input: '好\n' }), /extends: '.*confine-outside\.yaml': outside the project/);
    // Nor through a link in a pack folder.
    mkdirSync(join(dir, 'packs'));
    symlinkSync('/etc/passwd', join(dir, 'packs', 'team.yaml'));
    writeFileSync(config, 'extends: [./packs]\n');
    const linked = huashu(['lint', '-c', config, '-'], { input: '好\n' });
    expectOneLineError(linked, /huashu\.config\.yaml:1:11: extends: '.*packs\/team\.yaml': outside the project \(.*confine\), through a symbolic link$/);
    expect(linked.stderr).not.toContain('root:');
    // A file named with --config is read (the user chose it), but its lines are not quoted as keys.
    const shadow = file('confine/shadow', 'root:*:19000:0:99999:7:::\n');
    const named = huashu(['lint', '-c', shadow, '-'], { input: '好\n' });
    expectOneLineError(named, /shadow:1:1: unknown key in config \(allowed: /);
    expect(named.stderr).not.toContain('root');
  });

  it("refuses a classifier model outside the pack's project, and one that is not JSON without quoting it", () => {
    const dir = project('confine-model');
    const rule = (model: string) => `pack: m\nrules:\n  - id: m/c\n    kind: classifier\n    category: negative\n    message: m\n    match: { model: '${model}', threshold: 0.9 }\n`;
    const pack = file('confine-model/pack.yaml', rule('../../../../../../../etc/passwd'));
    const r = huashu(['lint', '--rules', pack, '-'], { input: '好\n' });
    expectOneLineError(r, /pack\.yaml:3:5: rule 'm\/c': classifier model '.*etc\/passwd' is outside the pack's project/);
    writeFileSync(join(dir, 'notes.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(pack, rule('./notes.json'));
    const inside = huashu(['lint', '--rules', pack, '-'], { input: '好\n' });
    expectOneLineError(inside, /pack\.yaml:3:5: rule 'm\/c': classifier model .*notes\.json: not valid JSON$/);
    expect(inside.stderr).not.toContain('root:');
  });
});

describe('22: names from the data reach the terminal without control characters', () => {
  const hostile = 'A\x1b]0;PWNED\x07gent';
  it('cleans a file name in the stylish report and on stderr', () => {
    const draft = file(`names/${hostile}.txt`, '我保证\n');
    const bad = file(`names/${hostile}.json`, '{ "a": ');
    const r = huashu(['lint', draft, bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('A ]0;PWNED gent.txt'); // as the report shows a draft line's controls
    expect(r.stdout + r.stderr).not.toMatch(/[\x07\x1b]/);
    expect(r.stderr).toContain('A?]0;PWNED?gent.json: invalid JSON');
  });

  it('cleans a file name in what fix prints: its warnings, errors and diff headers', () => {
    const draft = file(`names/fix-${hostile}.txt`, '关于您的投诉，我们已经收到。\n');
    const r = huashu(['fix', '--dry-run', draft]);
    expect(r.stdout).toContain('--- a/');
    expect(r.stdout).toContain('A?]0;PWNED?gent.txt');
    expect(r.stdout + r.stderr).not.toMatch(/[\x07\x1b]/);
  });

  it('cleans agent names, CSV headers and role values in the audit table and notes', () => {
    const export_ = file('names/chats.csv', csv([['speaker', `message\x1b[2J`, 'agent'], ['agent', '我保证明天送到', hostile], [`bot\x1b[31m`, '您好', 'x']]));
    const r = huashu(['audit', '--jobs', '1', '--text', `message\x1b[2J`, export_]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('A?]0;PWNED?gent');
    expect(r.stderr).toContain('text=message?[2J');
    expect(r.stdout + r.stderr).not.toMatch(/[\x07\x1b]/);
  });
});

describe('23: cache, signals, cycles and links', () => {
  it('treats a tampered --cache entry as a miss (findings: "x" ended in an internal error)', () => {
    const draft = file('cache/a.txt', '我保证\n');
    const location = join(TMP, 'cache', 'cache.json');
    const first = huashu(['lint', '-f', 'json', '--cache', '--cache-location', location, draft]);
    expect(first.code).toBe(1);
    const data = JSON.parse(readFileSync(location, 'utf8')) as { entries: Record<string, { findings: unknown }> };
    for (const key of Object.keys(data.entries)) data.entries[key]!.findings = 'x';
    writeFileSync(location, JSON.stringify(data));
    const again = huashu(['lint', '-f', 'json', '--cache', '--cache-location', location, draft]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout));
    // A finding pointing outside the text is as bad.
    const shifted = JSON.parse(readFileSync(location, 'utf8')) as { entries: Record<string, { findings: { offset: number }[] }> };
    for (const e of Object.values(shifted.entries)) e.findings[0]!.offset = 1e6;
    writeFileSync(location, JSON.stringify(shifted));
    expect(JSON.parse(huashu(['lint', '-f', 'json', '--cache', '--cache-location', location, draft]).stdout)).toEqual(JSON.parse(first.stdout));
  });

  it('removes its temporary files when killed by SIGTERM or SIGINT mid-run', async () => {
    const rows = [['conversation_id', 'speaker', 'message']];
    for (let i = 0; i < 60_000; i++) rows.push([`c${i}`, 'agent', '您好，我保证明天一定会送到，请您耐心等待。']);
    const export_ = file('signals/chats.csv', csv(rows));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const out = join(TMP, 'signals', `out-${signal}`);
      mkdirSync(out, { recursive: true });
      const child = spawn(process.execPath, [BIN, 'audit', '--jobs', '1', '--out', join(out, 'f.jsonl'), '--summary', join(out, 's.json'), export_], { stdio: 'ignore' });
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // Wait until the temporary outputs exist, then interrupt.
      const t0 = Date.now();
      while (readdirSync(out).filter((f) => f.endsWith('.tmp')).length < 2 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toHaveLength(2);
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(readdirSync(out)).toEqual([]);
    }
  }, 60_000);

  it('writes to a FIFO or device directly: a rename over it replaced /dev/zero itself when run as root', async () => {
    const pipe = fifo('out/report.fifo');
    const draft = file('out/a.txt', '我保证\n');
    const reader = spawn('cat', [pipe]);
    let received = '';
    reader.stdout.on('data', (d: Buffer) => (received += d.toString('utf8')));
    const done = new Promise((r) => reader.on('close', r));
    const r = huashu(['lint', '-f', 'json', '--output-file', pipe, draft], { timeout: 20_000 });
    await done;
    expect(r.code).toBe(1);
    expect((JSON.parse(received) as { summary: { errors: number } }).summary.errors).toBe(1);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(readdirSync(dirname(pipe)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the extends entry that closes a cycle with file:line:column', () => {
    const dir = project('cycle');
    writeFileSync(join(dir, 'a.yaml'), 'extends: [./b.yaml]\n');
    writeFileSync(join(dir, 'b.yaml'), 'rules: {}\nextends: [./a.yaml]\n');
    expectOneLineError(huashu(['lint', '-c', join(dir, 'a.yaml'), '-'], { input: '好\n' }), /cycle\/b\.yaml:2:11: extends: circular — .*a\.yaml → .*b\.yaml → .*a\.yaml$/);
  });

  it('does not lint the words of a URL', () => {
    const r = huashu(['lint', '-f', 'json', '-'], { input: '詳情請看 https://example.com/您的投诉 。\n您的投诉已收到，详情见https://example.com/a.html。\n' });
    const findings = (JSON.parse(r.stdout) as { files: { findings: { line: number; column: number; excerpt: string }[] }[] }).files[0]!.findings;
    expect(findings.map((f) => [f.line, f.column, f.excerpt])).toEqual([[2, 3, '投诉']]);
    // audit too, positions kept after a link (with an astral character in it)
    const export_ = file('urls/chats.csv', csv([['speaker', 'message'], ['agent', '请看https://example.com/您的投诉😀/a 您的投诉已收到']]));
    const out = join(TMP, 'urls', 'findings.jsonl');
    expect(huashu(['audit', '--jobs', '1', '--out', out, export_]).code).toBe(0); // complaint-noun is a warning
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { excerpt: string; offset: number; column: number });
    expect(rows.map((f) => [f.excerpt, f.offset, f.column])).toEqual([['投诉', 33, 33]]);
  });
});
