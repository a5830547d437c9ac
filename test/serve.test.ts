// `huashu serve`: the real server (node bin/huashu.js serve --port 0) in a child process, driven over
// loopback with plain HTTP requests, as an agent's helpdesk page or a LanguageTool client would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/findings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');
const DRAFTS = join(ROOT, 'fixtures', 'drafts');
const EXAMPLE = '您的包裹一定會在明天送到,我保證。';

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Start `huashu serve --port 0 …` and wait for the address it prints on stderr. */
async function serve(args: string[] = [], cwd = ROOT): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 20 s: ${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      const m = /huashu serve: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP request over loopback (node:http, so a refused body still gets its answer read). */
function http(url: string, options: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'), headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const postJson = (url: string, body: unknown) => http(url, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const postForm = (url: string, fields: Record<string, string>) =>
  http(url, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

/** `huashu lint --format json <file>`: the findings the server must match. */
function lintJson(file: string): Finding[] {
  const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return (JSON.parse(r.stdout) as { files: { findings: Finding[] }[] }).files[0]!.findings;
}

/** A LanguageTool match as LanguageTool clients read it. */
function expectWellFormedMatch(m: any, document: string): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(typeof m.message).toBe('string');
  expect(typeof m.shortMessage).toBe('string');
  expect(Number.isInteger(m.offset) && Number.isInteger(m.length) && m.length > 0).toBe(true);
  expect(m.offset + m.length).toBeLessThanOrEqual(document.length);
  expect(Array.isArray(m.replacements)).toBe(true);
  for (const r of m.replacements) expect(typeof r.value).toBe('string');
  expect(typeof m.context.text).toBe('string');
  // The context shows the same characters the offsets point at in the document.
  expect(m.context.text.slice(m.context.offset, m.context.offset + m.context.length)).toBe(document.slice(m.offset, m.offset + m.length));
  expect(m.context.length).toBe(m.length);
  expect(m.sentence).toContain(document.slice(m.offset, m.offset + m.length));
  expect(typeof m.rule.id).toBe('string');
  expect(typeof m.rule.description).toBe('string');
  expect(typeof m.rule.issueType).toBe('string');
  expect(typeof m.rule.category.id).toBe('string');
  expect(typeof m.rule.category.name).toBe('string');
  expect(typeof m.type.typeName).toBe('string');
}

describe('huashu serve', () => {
  let server: Served;
  beforeAll(async () => {
    server = await serve(['--max-body', '65536', '--max-text', '5000']);
  }, 30_000);
  afterAll(() => {
    server?.child.kill('SIGKILL');
  });

  it('GET /health: status, version and rule count', async () => {
    const r = await http(`${server.url}/health`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.json()).toEqual({ status: 'ok', version: pkg.version, rules: expect.any(Number) });
    expect(r.json().rules).toBeGreaterThan(10);
  });

  it('POST /v1/lint: the same findings as `lint --format json` for every sample draft', async () => {
    const drafts = readdirSync(DRAFTS).sort();
    expect(drafts.length).toBeGreaterThanOrEqual(5);
    let total = 0;
    for (const name of drafts) {
      const file = join(DRAFTS, name);
      const r = await postJson(`${server.url}/v1/lint`, { text: readFileSync(file, 'utf8'), path: file });
      expect(r.status, r.body).toBe(200);
      const expected = lintJson(file);
      expect(r.json().findings, name).toEqual(expected);
      total += expected.length;
    }
    expect(total).toBeGreaterThan(5);
  });

  it('POST /v1/lint: without a path the text is plain text; only/disable as --only/--disable; unknown names refused', async () => {
    const all = (await postJson(`${server.url}/v1/lint`, { text: EXAMPLE })).json().findings as Finding[];
    expect(all.map((f) => f.ruleId)).toEqual(['overpromise/definitely-will', 'overpromise/guarantee']);
    const only = (await postJson(`${server.url}/v1/lint`, { text: EXAMPLE, only: ['overpromise/guarantee'] })).json().findings as Finding[];
    expect(only.map((f) => f.ruleId)).toEqual(['overpromise/guarantee']);
    const disabled = (await postJson(`${server.url}/v1/lint`, { text: EXAMPLE, disable: 'overpromise/guarantee' })).json().findings as Finding[];
    expect(disabled.map((f) => f.ruleId)).toEqual(['overpromise/definitely-will']);
    const typo = await postJson(`${server.url}/v1/lint`, { text: EXAMPLE, only: ['overpromis'] });
    expect(typo.status).toBe(400);
    expect(typo.json().error).toMatch(/no rule, category or pack named 'overpromis'.*overpromise/);
  });

  it('GET /v1/rules: id, category, severity, message and pack of each rule', async () => {
    const r = await http(`${server.url}/v1/rules`);
    expect(r.status).toBe(200);
    const rules = r.json().rules as Record<string, unknown>[];
    expect(rules.length).toBe((await http(`${server.url}/health`)).json().rules);
    for (const rule of rules) {
      expect(rule).toMatchObject({ id: expect.any(String), category: expect.any(String), severity: expect.stringMatching(/^(info|warning|error)$/), message: expect.any(String), pack: expect.any(String) });
    }
    expect(rules.map((x) => x['id'])).toContain('overpromise/guarantee');
  });

  it('POST /v2/check, form-encoded text= and language=zh-TW: a well-formed LanguageTool answer', async () => {
    const text = `您好!\n${EXAMPLE}如有問題請再聯絡我們。`;
    const r = await postForm(`${server.url}/v2/check`, { text, language: 'zh-TW' });
    expect(r.status, r.body).toBe(200);
    const body = r.json();
    expect(body.software).toMatchObject({ name: 'huashu', version: expect.any(String), apiVersion: 1, premium: false });
    expect(body.language).toMatchObject({ name: expect.any(String), code: 'zh-TW', detectedLanguage: { name: expect.any(String), code: 'zh-TW' } });
    expect(body.matches.length).toBe(2);
    for (const m of body.matches) expectWellFormedMatch(m, text);
    expect(body.matches.map((m: { offset: number; length: number }) => text.slice(m.offset, m.offset + m.length))).toEqual(['一定', '保證']);
    expect(body.matches[0].rule).toMatchObject({ id: 'overpromise/definitely-will', issueType: 'style', category: { id: 'OVERPROMISE', name: '過度承諾' } });
    expect(body.matches[0].replacements).toContainEqual({ value: '預計' });
    // Offsets are UTF-16 code units, as LanguageTool's: an emoji before the finding counts 2.
    const emoji = await postForm(`${server.url}/v2/check`, { text: `😀${EXAMPLE}`, language: 'auto' });
    expect(emoji.json().matches[0].offset).toBe(body.matches[0].offset - '您好!\n'.length + 2);
    // The same findings as /v1/lint.
    const v1 = (await postJson(`${server.url}/v1/lint`, { text })).json().findings as Finding[];
    expect(body.matches.map((m: { offset: number; length: number; rule: { id: string } }) => [m.rule.id, m.offset, m.length])).toEqual(v1.map((f) => [f.ruleId, f.offset, f.length]));
  });

  it('POST /v2/check with data= (annotated text and markup), as the LanguageTool browser extension sends it', async () => {
    const annotation = [
      { markup: '<p>' },
      { text: '您好,' },
      { markup: '<b class="x">' },
      { text: '您的包裹一定會' },
      { markup: '</b>' },
      { text: '在明天送到,我保證。' },
      { markup: '</p><p>', interpretAs: '\n\n' },
      { text: '保證書在附件' },
      { markup: '</p>' },
    ];
    const document = annotation.map((a) => a.text ?? a.markup).join('');
    // A request as the extension makes it: its own parameters alongside, LanguageTool rule names it disables.
    const r = await postForm(`${server.url}/v2/check`, {
      data: JSON.stringify({ annotation }),
      textSessionId: '12345:67890',
      language: 'auto',
      level: 'default',
      enableHiddenRules: 'true',
      motherTongue: 'zh',
      preferredVariants: 'en-US,de-DE,pt-BR,ca-ES',
      disabledRules: 'WHITESPACE_RULE',
      useragent: 'webextension-chrome-ng',
      allowIncompleteResults: 'true',
    });
    expect(r.status, r.body).toBe(200);
    const body = r.json();
    expect(body.language.code).toBe('zh-TW');
    const flagged = body.matches.map((m: { offset: number; length: number }) => document.slice(m.offset, m.offset + m.length));
    expect(flagged).toEqual(['一定', '保證']);
    for (const m of body.matches) expectWellFormedMatch(m, document);
    // The same request as JSON, with data as an object.
    const j = await postJson(`${server.url}/v2/check`, { data: { annotation }, language: 'zh-TW' });
    expect(j.status).toBe(200);
    expect(j.json().matches).toEqual(body.matches);
    // A LanguageTool client's disabledRules naming a huashu rule is honoured.
    const off = await postForm(`${server.url}/v2/check`, { data: JSON.stringify({ annotation }), language: 'auto', disabledRules: 'overpromise/guarantee' });
    expect(off.json().matches.map((m: { rule: { id: string } }) => m.rule.id)).toEqual(['overpromise/definitely-will']);
    // Malformed data: a 400 that says what is expected.
    const bad = await postForm(`${server.url}/v2/check`, { data: '{"annotation": 3}', language: 'auto' });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/annotation/);
  });

  it('GET /v2/languages, and a language huashu does not check is a 400', async () => {
    const r = await http(`${server.url}/v2/languages`);
    expect(r.json().map((l: { longCode: string }) => l.longCode)).toEqual(['zh-CN', 'zh-TW', 'zh-HK']);
    // LanguageTool also takes a check as GET with query parameters.
    const get = await http(`${server.url}/v2/check?${new URLSearchParams({ text: EXAMPLE, language: 'zh-HK' })}`);
    expect(get.status).toBe(200);
    expect(get.json().language.code).toBe('zh-HK');
    expect(get.json().matches.length).toBe(2);
    const en = await postForm(`${server.url}/v2/check`, { text: 'Hello', language: 'en-US' });
    expect(en.status).toBe(400);
    expect(en.json().error).toMatch(/en-US.*not supported/);
  });

  it('limits: clear JSON errors (413, 400, 404, 405), and the server goes on', async () => {
    const big = await http(`${server.url}/v1/lint`, { body: JSON.stringify({ text: '好'.repeat(40_000) }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(big.json().error).toMatch(/request body too large/);
    const long = await postJson(`${server.url}/v1/lint`, { text: '好'.repeat(6000) });
    expect(long.status).toBe(413);
    expect(long.json().error).toMatch(/text too long: 6000 characters \(at most 5000\)/);
    const malformed = await http(`${server.url}/v1/lint`, { body: '{"text": "您好', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json().error).toMatch(/malformed JSON/);
    const noText = await postJson(`${server.url}/v1/lint`, { txt: EXAMPLE });
    expect(noText.status).toBe(400);
    expect(noText.json().error).toMatch(/text: expected a string/);
    const notUtf8 = await http(`${server.url}/v1/lint`, { body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(notUtf8.status).toBe(400);
    const missing = await http(`${server.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.json().error).toMatch(/no such route/);
    const wrongMethod = await http(`${server.url}/v1/lint`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('POST');
    const badKind = await postJson(`${server.url}/v1/lint`, { text: EXAMPLE, kind: 'pdf' });
    expect(badKind.status).toBe(400);
    // A template that does not parse: lint's file error, as a 422.
    const badJson = await postJson(`${server.url}/v1/lint`, { text: '{"reply": "我保證",', path: 'macros/refund.json' });
    expect(badJson.status).toBe(422);
    expect(badJson.json().error).toMatch(/^macros\/refund\.json: invalid JSON/);
    expect((await http(`${server.url}/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});

describe('huashu serve: binding, concurrency, config changes, shutdown', () => {
  it('refuses a non-loopback host without --allow-remote (exit 2, a clear message)', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^huashu: --host 0\.0\.0\.0: not a loopback address.*--allow-remote/);
    const port = spawnSync(process.execPath, [BIN, 'serve', '--port', '70000'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(port.status).toBe(2);
  });

  it('answers 503 beyond --max-concurrency; SIGTERM lets the request in flight finish, then exits 0', async () => {
    const s = await serve(['--max-concurrency', '1']);
    try {
      // A request whose body is still arriving holds the only slot.
      let answer: (r: { status: number; body: string }) => void;
      const slow = new Promise<{ status: number; body: string }>((resolve) => (answer = resolve));
      const body = JSON.stringify({ text: EXAMPLE });
      const req = request(`${s.url}/v1/lint`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => answer({ status: res.statusCode!, body: text }));
      });
      req.write(body.slice(0, 5));
      await new Promise((r) => setTimeout(r, 300));
      const busy = await http(`${s.url}/health`);
      expect(busy.status).toBe(503);
      expect(busy.json().error).toMatch(/busy/);
      expect(busy.headers['retry-after']).toBe('1');
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(s.child.exitCode).toBeNull();
      req.end(body.slice(5));
      const done = await slow;
      expect(done.status).toBe(200);
      expect((JSON.parse(done.body) as { findings: Finding[] }).findings.length).toBe(2);
      expect(await s.exited).toBe(0);
      expect(s.stderr()).toMatch(/SIGTERM/);
    } finally {
      s.child.kill('SIGKILL');
    }
  }, 30_000);

  it('picks up a change to the config file without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-serve-'));
    const s = await serve([], dir);
    try {
      const config = join(dir, 'huashu.config.yaml');
      const ids = async () => ((await postJson(`${s.url}/v1/lint`, { text: EXAMPLE, path: join(dir, 'reply.txt') })).json().findings as Finding[]).map((f) => f.ruleId);
      expect(await ids()).toEqual(['overpromise/definitely-will', 'overpromise/guarantee']);
      writeFileSync(config, 'rules: { overpromise/guarantee: off }\n');
      // A new config file is found within the folder look-up's 2 s.
      await new Promise((r) => setTimeout(r, 2200));
      expect(await ids()).toEqual(['overpromise/definitely-will']);
      writeFileSync(config, 'rules: { overpromise/definitely-will: off }\n# changed\n');
      expect(await ids()).toEqual(['overpromise/guarantee']);
      // A config with a mistake: a 500 that names it, until it is fixed.
      writeFileSync(config, 'rules: { overpromise/nope: off }\n');
      const broken = await postJson(`${s.url}/v1/lint`, { text: EXAMPLE, path: join(dir, 'reply.txt') });
      expect(broken.status).toBe(500);
      expect(broken.json().error).toMatch(/config: .*overpromise\/nope/);
      writeFileSync(config, 'rules: { overpromise: off }\n');
      expect(await ids()).toEqual([]);
      // Deleted: the defaults again, at once.
      rmSync(config);
      expect(await ids()).toEqual(['overpromise/definitely-will', 'overpromise/guarantee']);
      expect(s.child.exitCode).toBeNull();
    } finally {
      s.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
