// `huashu lsp --stdio`: the real server (node bin/huashu.js lsp --stdio) in a child process, driven by a
// JSON-RPC client as an editor drives it: diagnostics for a Markdown macro with placeholders (positions in
// UTF-16 units, CRLF line ends, an astral character before a finding), a quick fix applied, a directive
// honoured, hover, and a config change re-linting the open documents. Then the edits alone, per file kind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/findings.js';
import { disableLineEdit, replacementEdit } from '../src/edits/document.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'huashu.js');

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface Diagnostic {
  range: Range;
  severity: number;
  code: string;
  source: string;
  message: string;
  data?: unknown;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface CodeAction {
  title: string;
  kind: string;
  isPreferred?: boolean;
  edit: { changes: Record<string, TextEdit[]> };
}

// A macro written for this test: CRLF line ends, an emoji (two UTF-16 units) before the findings on their
// line, a placeholder holding words a rule flags (masked, so not flagged), 投訴 (a safe replacement) and 一定會.
const MACRO = '# 退款說明 😀\r\n\r\n😀 {{customer_name}}您好，關於您的投訴，我們一定會在明天處理好。{{我保證}}\r\n';
const REPLIES = '我保證明天送到。  # huashu-disable-line overpromise/guarantee\n我保證下午到貨。\n';

let dir: string;
let child: ChildProcess;
let rpc: MessageConnection;
let stderr = '';
const published = new Map<string, { version?: number; diagnostics: Diagnostic[] }[]>();
const waiters: (() => void)[] = [];
const shownMessages: { type: number; message: string }[] = [];

/** The next diagnostics published for `uri` that satisfy `ok` (those already published count). */
function diagnosticsFor(uri: string, ok: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 15_000): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.get(uri))}; stderr: ${stderr}`)), timeoutMs);
    const check = () => {
      const list = published.get(uri) ?? [];
      const last = list[list.length - 1];
      if (last && ok(last.diagnostics)) {
        clearTimeout(timer);
        resolve(last.diagnostics);
        return true;
      }
      return false;
    };
    // Asked again at every notification until it holds (or times out).
    const waiter = () => {
      if (!check()) waiters.push(waiter);
    };
    if (!check()) waiters.push(waiter);
  });
}

/** `huashu lint --format json file`: what the diagnostics must match. */
function lintJson(file: string): Finding[] {
  const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return (JSON.parse(r.stdout) as { files: { findings: Finding[] }[] }).files[0]!.findings;
}

/** lint's 1-based line and code-point column as an LSP position (0-based line, UTF-16 character), worked out apart from the server. */
function lspPosition(text: string, line: number, column: number): Position {
  const lines = text.split(/\r\n|\r|\n/);
  const codePoints = [...lines[line - 1]!].slice(0, column - 1).join('');
  return { line: line - 1, character: codePoints.length };
}

const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;
let version = 1;
function open(name: string, text: string, languageId: string) {
  return rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(name), languageId, version: version++, text } });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-lsp-'));
  writeFileSync(join(dir, 'macro.md'), MACRO);
  writeFileSync(join(dir, 'replies.txt'), REPLIES);
  child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), { version: p.version, diagnostics: p.diagnostics }]);
    for (const w of waiters.splice(0)) w();
  });
  rpc.onNotification('window/logMessage', (p: { message: string }) => { if (process.env['LSP_DEBUG']) console.log('LOG', p.message); });
  rpc.onNotification('window/showMessage', (p: { type: number; message: string }) => {
    shownMessages.push(p);
    for (const w of waiters.splice(0)) w();
  });
  rpc.onRequest('client/registerCapability', () => null);
  rpc.listen();
  const init = (await rpc.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { codeAction: {}, hover: {} } },
  })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  expect(init.serverInfo.name).toBe('huashu');
  expect(init.capabilities['hoverProvider']).toBe(true);
  await rpc.sendNotification('initialized', {});
}, 30_000);

afterAll(async () => {
  rpc?.dispose();
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('huashu lsp --stdio', () => {
  it('publishes the findings of a Markdown macro with placeholders, as lint has them, at UTF-16 positions', async () => {
    await open('macro.md', MACRO, 'markdown');
    const diagnostics = await diagnosticsFor(uriOf('macro.md'), (d) => d.length > 0);
    const expected = lintJson('macro.md');
    expect(expected.map((f) => f.ruleId)).toContain('negative/complaint-noun');
    expect(diagnostics.map((d) => d.code)).toEqual(expected.map((f) => f.ruleId));
    for (const [i, f] of expected.entries()) {
      const d = diagnostics[i]!;
      expect(d.source).toBe('huashu');
      expect(d.message).toBe(f.message);
      expect(d.severity).toBe({ error: 1, warning: 2, info: 3 }[f.severity]);
      expect(d.range).toEqual({ start: lspPosition(MACRO, f.line, f.column), end: lspPosition(MACRO, f.endLine, f.endColumn) });
    }
    // The emoji before 投訴 counts two: the character is one more than the code-point column says.
    const complaint = diagnostics.find((d) => d.code === 'negative/complaint-noun')!;
    expect(complaint.range.start.line).toBe(2);
    expect(complaint.range.start.character).toBe(MACRO.split('\r\n')[2]!.indexOf('投訴'));
    // 我保證 inside the placeholder is not a finding.
    expect(diagnostics.some((d) => d.code === 'overpromise/guarantee')).toBe(false);
  });

  it('hover shows the rule, its explanation and its source', async () => {
    const diagnostics = await diagnosticsFor(uriOf('macro.md'), (d) => d.length > 0);
    const complaint = diagnostics.find((d) => d.code === 'negative/complaint-noun')!;
    const hover = (await rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf('macro.md') }, position: complaint.range.start })) as { contents: { kind: string; value: string }; range: Range };
    expect(hover.contents.kind).toBe('markdown');
    expect(hover.contents.value).toContain('negative/complaint-noun');
    expect(hover.contents.value).toContain(complaint.message);
    expect(hover.contents.value).toMatch(/Source: \S+\.txt, “[^”]+”/);
    expect(hover.range).toEqual(complaint.range);
    // Nowhere near a finding: no hover.
    expect(await rpc.sendRequest('textDocument/hover', { textDocument: { uri: uriOf('macro.md') }, position: { line: 1, character: 0 } })).toBeNull();
  });

  it('a safe replacement applied as a code action takes the finding away', async () => {
    const uri = uriOf('macro.md');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0);
    const complaint = diagnostics.find((d) => d.code === 'negative/complaint-noun')!;
    const actions = (await rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: complaint.range, context: { diagnostics: [complaint] } })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred)!;
    expect(fix.title).toContain('回饋');
    expect(fix.kind).toBe('quickfix');
    // "Disable for this line" in Markdown is an HTML comment at the end of the finding's line.
    const disable = actions.find((a) => a.title.startsWith('Disable negative/complaint-noun'))!;
    expect(disable.edit.changes[uri]![0]!.newText).toBe(' <!-- huashu-disable-line negative/complaint-noun -->');
    expect(disable.edit.changes[uri]![0]!.range.start).toEqual({ line: 2, character: MACRO.split('\r\n')[2]!.length });

    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 1, MACRO), fix.edit.changes[uri]!);
    expect(fixed).toBe(MACRO.replace('投訴', '回饋'));
    await rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ text: fixed }] });
    const after = await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'negative/complaint-noun'));
    expect(after.length).toBe(diagnostics.length - 1);
  });

  it('a directive is honoured, and "disable for this line" adds one that is', async () => {
    const uri = uriOf('replies.txt');
    await open('replies.txt', REPLIES, 'plaintext');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0);
    // Line 1's guarantee is turned off by its comment; line 2's is reported.
    expect(diagnostics.filter((d) => d.code === 'overpromise/guarantee').map((d) => d.range.start.line)).toEqual([1]);
    const guarantee = diagnostics.find((d) => d.code === 'overpromise/guarantee')!;
    const actions = (await rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: guarantee.range, context: { diagnostics: [guarantee] } })) as CodeAction[];
    const disable = actions.find((a) => a.title === 'Disable overpromise/guarantee for this line')!;
    const text = TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 1, REPLIES), disable.edit.changes[uri]!);
    expect(text).toBe(REPLIES.replace('我保證下午到貨。', '我保證下午到貨。  # huashu-disable-line overpromise/guarantee'));
    await rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ text }] });
    await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'overpromise/guarantee'));
  });

  it('a config file created next to the documents re-lints them', async () => {
    const uri = uriOf('macro.md');
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'overpromise/definitely-will'));
    writeFileSync(join(dir, '.huashurc.yaml'), 'rules: { overpromise: off }\n');
    await rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.huashurc.yaml'), type: 1 }] });
    await diagnosticsFor(uri, (d) => !d.some((x) => x.code.startsWith('overpromise/')));
    // Changed back: the findings return (the config's change is seen without a restart).
    writeFileSync(join(dir, '.huashurc.yaml'), 'rules: { negative: off }\n');
    await rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.huashurc.yaml'), type: 2 }] });
    const d = await diagnosticsFor(uri, (d) => d.some((x) => x.code.startsWith('overpromise/')));
    expect(d.some((x) => x.code.startsWith('negative/'))).toBe(false);
    // A config that does not load: said once as an error message (not a crash), no diagnostics until fixed.
    writeFileSync(join(dir, '.huashurc.yaml'), 'rules: { overpromise: sometimes }\n');
    await rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.huashurc.yaml'), type: 2 }] });
    await diagnosticsFor(uri, (d) => d.length === 0);
    expect(shownMessages).toHaveLength(1);
    expect(shownMessages[0]!.type).toBe(1);
    expect(shownMessages[0]!.message).toMatch(/^huashu: .*\.huashurc\.yaml/);
    writeFileSync(join(dir, '.huashurc.yaml'), 'rules: { negative: off }\n');
    await rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.huashurc.yaml'), type: 2 }] });
    await diagnosticsFor(uri, (d) => d.some((x) => x.code.startsWith('overpromise/')));
  });

  it('closing a document clears its diagnostics; shutdown and exit end the server with 0', async () => {
    const uri = uriOf('replies.txt');
    await rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await diagnosticsFor(uri, (d) => d.length === 0);
    await rpc.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await rpc.sendNotification('exit');
    expect(await exited).toBe(0);
  });
});

describe('code action edits by file kind', () => {
  it('JSON: a replacement is escaped as the string needs; no directive (JSON has no comments)', () => {
    const text = '{ "reply": "關於您的\\"投訴\\"，我們已收到。" }';
    const at = text.indexOf('投訴');
    expect(replacementEdit(text, 'json', { offset: at, length: 2 }, '反"饋')).toEqual({ start: at, end: at + 2, text: '反\\"饋' });
    expect(disableLineEdit(text, 'json', at, 'negative/complaint-noun')).toBeUndefined();
    // Flagged words written as escapes: the whole escape is replaced, and the file reads back right.
    const escaped = '{ "reply": "關於您的\\u6295\\u8a34" }';
    const from = escaped.indexOf('\\u6295');
    const edit = replacementEdit(escaped, 'json', { offset: from, length: 12 }, '反饋')!;
    expect(edit).toEqual({ start: from, end: from + 12, text: '反饋' });
    expect(JSON.parse(escaped.slice(0, edit.start) + edit.text + escaped.slice(edit.end))).toEqual({ reply: '關於您的反饋' });
  });

  it('YAML: an end-of-line comment for a one-line value, nothing inside a block scalar', () => {
    const plain = 'reply: 關於您的投訴，我們已收到。\n';
    const at = plain.indexOf('投訴');
    expect(disableLineEdit(plain, 'yaml', at, 'negative/complaint-noun')).toEqual({ start: plain.indexOf('\n'), end: plain.indexOf('\n'), text: '  # huashu-disable-line negative/complaint-noun' });
    const block = 'reply: |\n  關於您的投訴，\n  我們已收到。\n';
    expect(disableLineEdit(block, 'yaml', block.indexOf('投訴'), 'negative/complaint-noun')).toBeUndefined();
  });

  it('HTML: a replacement with markup characters is written as entities', () => {
    const text = '<p>關於您的投訴，我們已收到。</p>\n';
    const at = text.indexOf('投訴');
    expect(replacementEdit(text, 'html', { offset: at, length: 2 }, '反<b>饋')?.text).toBe('反&lt;b&gt;饋');
    // A replacement read back as written needs no entity.
    expect(replacementEdit(text, 'html', { offset: at, length: 2 }, '反饋')?.text).toBe('反饋');
  });

  it('a rule is added to a directive already on the line; CRLF line ends are kept', () => {
    const text = '我保證明天送到，您的投訴已收到。  # huashu-disable-line overpromise/guarantee\r\n下一行\r\n';
    const edit = disableLineEdit(text, 'text', text.indexOf('投訴'), 'negative/complaint-noun')!;
    const out = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    expect(out).toBe('我保證明天送到，您的投訴已收到。  # huashu-disable-line overpromise/guarantee, negative/complaint-noun\r\n下一行\r\n');
    const plain = '您的投訴已收到。\r\n';
    const e2 = disableLineEdit(plain, 'text', 2, 'negative/complaint-noun')!;
    expect(plain.slice(0, e2.start) + e2.text + plain.slice(e2.end)).toBe('您的投訴已收到。  # huashu-disable-line negative/complaint-noun\r\n');
  });
});
