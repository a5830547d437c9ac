// `huashu serve`: a long-running HTTP server with the engine warm (node:http, no framework).
//   POST /v1/lint      {text, path?, kind?, only?, disable?, minSeverity?} → {findings} as `lint --format json`
//   GET  /v1/rules     the rules of the config that applies (?path= for a file's)
//   GET  /health       {status, version, rules}
//   POST /v2/check     LanguageTool's check (form or JSON; text or data), GET /v2/languages
// Every request error is a JSON `{error}` with a 4xx status; nothing a client sends stops the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INPUT_FORMATS, type InputFormat } from '../inputs/kinds.js';
import type { Severity } from '../rules/types.js';
import { Linter, RequestError } from './linter.js';
import { checkResponse, detectLanguage, languagesResponse, parseCheck } from './languagetool.js';

export interface ServeOptions {
  host: string;
  port: number;
  version: string;
  config?: string;
  rules?: readonly string[];
  /** Largest request body, in bytes (413 beyond). */
  maxBody: number;
  /** Longest text, in UTF-16 code units (413 beyond). */
  maxText: number;
  /** Requests handled at once; more are answered 503. */
  maxConcurrency: number;
  log: (line: string) => void;
}

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** Read the body, refusing more than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(new RequestError(413, `request body too large: ${declared} bytes (at most ${max})`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        reject(new RequestError(413, `request body too large: more than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
      done = true;
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new RequestError(400, 'request body is not valid UTF-8');
  }
}

function parseJson(body: Buffer): unknown {
  const text = decodeUtf8(body);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RequestError(400, `malformed JSON: ${(e as Error).message}`);
  }
}

const isJson = (req: IncomingMessage) => /\bjson\b/i.test(req.headers['content-type'] ?? '');

function names(field: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.flatMap((v) => names(field, v)!);
  throw new RequestError(400, `${field}: expected a string or an array of strings`);
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stop accepting, let requests in flight finish, then resolve. */
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const linter = new Linter(options.config, options.rules ?? [], options.log);
  // Warm: the rules built and the segmenter loaded before the first request.
  await linter.lint({ text: '您好,我們一定會盡快處理。' });
  let active = 0;
  let closing = false;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
      ...(closing ? { connection: 'close' } : {}),
      ...headers,
    });
    res.end(json);
  }

  async function lintRoute(req: IncomingMessage): Promise<unknown> {
    const body = parseJson(await readBody(req, options.maxBody));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(400, 'expected a JSON object: {"text": "…"}');
    const b = body as Record<string, unknown>;
    if (typeof b['text'] !== 'string') throw new RequestError(400, 'text: expected a string');
    const text = b['text'];
    if (text.length > options.maxText) throw new RequestError(413, `text too long: ${text.length} characters (at most ${options.maxText})`);
    if (b['path'] !== undefined && (typeof b['path'] !== 'string' || b['path'] === '' || b['path'].includes('\0'))) throw new RequestError(400, 'path: expected a file name');
    if (b['kind'] !== undefined && !INPUT_FORMATS.includes(b['kind'] as InputFormat)) throw new RequestError(400, `kind: expected one of ${INPUT_FORMATS.join(', ')}`);
    if (b['minSeverity'] !== undefined && !SEVERITIES.includes(b['minSeverity'] as Severity)) throw new RequestError(400, `minSeverity: expected one of ${SEVERITIES.join(', ')}`);
    const only = names('only', b['only']);
    const disable = names('disable', b['disable']);
    return linter.lint({
      text,
      ...(typeof b['path'] === 'string' ? { path: b['path'] } : {}),
      ...(b['kind'] !== undefined ? { kind: b['kind'] as InputFormat } : {}),
      ...(only ? { only } : {}),
      ...(disable ? { disable } : {}),
      ...(b['minSeverity'] !== undefined ? { minSeverity: b['minSeverity'] as Severity } : {}),
    });
  }

  async function checkRoute(req: IncomingMessage, query: URLSearchParams): Promise<unknown> {
    let fields: (name: string) => unknown = (name) => query.get(name) ?? undefined;
    if (req.method === 'POST') {
      const body = await readBody(req, options.maxBody);
      if (isJson(req)) {
        const json = parseJson(body);
        if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RequestError(400, 'expected a JSON object: {"text": "…", "language": "zh-TW"}');
        fields = (name) => (json as Record<string, unknown>)[name] ?? query.get(name) ?? undefined;
      } else {
        const form = new URLSearchParams(decodeUtf8(body));
        fields = (name) => form.get(name) ?? query.get(name) ?? undefined;
      }
    }
    const prepared = await linter.rulesFor(undefined);
    const check = parseCheck(fields, (n) => prepared.names.has(n));
    if (check.document.length > options.maxText) throw new RequestError(413, `text too long: ${check.document.length} characters (at most ${options.maxText})`);
    const detected = detectLanguage(check.document);
    const { findings } = await linter.lint({
      text: check.document,
      ...(check.segments ? { segments: check.segments } : {}),
      only: check.only,
      disable: check.disable,
      ...(check.language !== 'auto' ? { script: check.language.script } : {}),
    });
    return checkResponse({ version: options.version, document: check.document, findings, language: check.language, detected });
  }

  async function rulesRoute(query: URLSearchParams): Promise<unknown> {
    const path = query.get('path') ?? undefined;
    const { configured } = await linter.rulesFor(path);
    const off = new Set(configured.off);
    return {
      config: configured.config.file ?? null,
      rules: configured.set.rules.map(({ spec }) => ({
        id: spec.id,
        category: spec.category,
        severity: spec.severity,
        enabled: !off.has(spec.id),
        message: spec.message,
        pack: spec.pack,
      })),
    };
  }

  type Route = { methods: readonly string[]; cors?: boolean; handle: (req: IncomingMessage, query: URLSearchParams) => Promise<unknown> };
  const routes: Record<string, Route> = {
    '/health': {
      methods: ['GET', 'HEAD'],
      cors: true,
      handle: async () => ({ status: 'ok', version: options.version, rules: (await linter.rulesFor(undefined)).configured.set.rules.length }),
    },
    '/v1/lint': { methods: ['POST'], handle: (req) => lintRoute(req) },
    '/v1/rules': { methods: ['GET', 'HEAD'], handle: (_req, query) => rulesRoute(query) },
    // LanguageTool accepts GET for a check too (query parameters).
    '/v2/check': { methods: ['POST', 'GET'], cors: true, handle: checkRoute },
    '/v2/languages': { methods: ['GET', 'HEAD'], cors: true, handle: async () => languagesResponse() },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname.replace(/\/+$/, '') || '/'];
    if (!route) throw new RequestError(404, `no such route: ${url.pathname} (try /v1/lint, /v1/rules, /health, /v2/check, /v2/languages)`);
    const cors: Record<string, string> = route.cors ? { 'access-control-allow-origin': '*' } : {};
    if (route.cors && req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': route.methods.join(', '), 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400' });
      res.end();
      return;
    }
    if (!route.methods.includes(req.method ?? '')) {
      send(res, 405, { error: `method ${req.method} not allowed on ${url.pathname} (use ${route.methods.filter((m) => m !== 'HEAD').join(' or ')})` }, { allow: route.methods.join(', '), ...cors });
      return;
    }
    const body = await route.handle(req, url.searchParams);
    send(res, 200, body, cors);
  }

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    if (active >= options.maxConcurrency) {
      req.resume();
      send(res, 503, { error: `busy: ${active} requests in progress (at most ${options.maxConcurrency}); retry shortly` }, { 'retry-after': '1' });
      return;
    }
    active++;
    res.on('close', () => active--);
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof RequestError) {
        // The rest of a body too large is not read: the connection closes after the answer.
        // The rest of a body too large is read and dropped (a client still sending it gets the answer, not
        // a reset), and the connection closes after the answer.
        const unread = e.status === 413 && !req.complete;
        if (unread) req.resume();
        send(res, e.status, { error: e.message }, unread ? { connection: 'close' } : {});
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      // A config or rule pack that does not load: the server's problem, said plainly, until it is fixed.
      if (e instanceof Error && e.name === 'RuleError') {
        options.log(`error: ${message}`);
        send(res, 500, { error: `config: ${message}` });
        return;
      }
      options.log(`internal error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? message) : message}`);
      send(res, 500, { error: 'internal error' });
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
        // Keep-alive connections with nothing in flight close now; the others after their answer.
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        force.unref();
      }),
  };
}
