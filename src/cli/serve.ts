// `huashu serve`: the engine warm behind a local HTTP server (src/server). Loopback only unless
// --allow-remote; the bound address on stderr; SIGTERM/SIGINT stop it gracefully (exit code 0).
import { Command, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';
import { EXIT_OK, UsageError } from './errors.js';
import { collect } from './lint.js';
import { packageVersion } from './index.js';

interface ServeCommandOptions {
  host: string;
  port: number;
  allowRemote?: boolean;
  config?: string;
  rules?: string[];
  maxBody: number;
  maxText: number;
  maxConcurrency: number;
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  return Number(value);
}

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return Number(value);
}

/** Is `host` this machine only: localhost, 127.0.0.0/8 or ::1? */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

async function runServe(options: ServeCommandOptions): Promise<number> {
  if (!isLoopback(options.host) && !options.allowRemote) {
    throw new UsageError(`--host ${options.host}: not a loopback address; the server has no authentication, so binding it to other machines needs --allow-remote`);
  }
  const log = (line: string) => process.stderr.write(`huashu serve: ${line}\n`);
  const { startServer } = await import('../server/index.js');
  let running;
  try {
    running = await startServer({
      host: options.host.replace(/^\[|\]$/g, ''),
      port: options.port,
      version: packageVersion(),
      ...(options.config ? { config: options.config } : {}),
      rules: options.rules ?? [],
      maxBody: options.maxBody,
      maxText: options.maxText,
      maxConcurrency: options.maxConcurrency,
      log,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`${options.host}:${options.port}: address already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UsageError(`--host ${options.host} --port ${options.port}: cannot listen (${code})`);
    throw e;
  }
  if (!isLoopback(options.host)) log(`warning: listening beyond this machine (--allow-remote); anyone who can reach ${options.host} can use it`);
  log(`listening on ${running.url}`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log(`${signal} again: closing every connection`);
        running.server.closeAllConnections();
        return;
      }
      stopping = true;
      log(`${signal}: finishing requests in flight, then stopping`);
      void running.close().then(resolve);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  log('stopped');
  return EXIT_OK;
}

export function addServeCommand(program: Command, setExitCode: (code: number) => void): Command {
  return program
    .command('serve')
    .description('run a local HTTP server with the engine warm (huashu\'s API and a LanguageTool-compatible /v2/check)')
    .option('--host <host>', 'address to listen on (loopback only unless --allow-remote)', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0: any free port; the address is printed on stderr)', port, 8081)
    .option('--allow-remote', 'allow a --host other machines can reach (the server has no authentication)')
    .option('-c, --config <file>', 'use this config for every request instead of the one found from each request\'s path upward')
    .option('-r, --rules <file|dir>', 'extra rule pack (a .yaml file, or a directory of them); repeatable', collect)
    .option('--max-body <bytes>', 'largest request body, in bytes (413 beyond)', positive, 1 << 20)
    .option('--max-text <n>', 'longest text, in UTF-16 code units (413 beyond)', positive, 200_000)
    .option('--max-concurrency <n>', 'requests handled at once; more are answered 503', positive, 64)
    .addHelpText(
      'after',
      `
Routes:
  POST /v1/lint       {"text": "…", "path": "reply.md"?, "only"?, "disable"?} → {"findings": [...]} (as lint --format json)
  GET  /v1/rules      the rules of the config that applies (?path=… for a file's)
  GET  /health        {"status": "ok", "version", "rules"}
  POST /v2/check      LanguageTool's API: text= or data=, language=zh-CN|zh-TW|zh-HK|auto
  GET  /v2/languages

The config file is re-read when it changes. SIGTERM or Ctrl-C: requests in flight finish, exit code 0.

Examples:
  huashu serve --port 8081
  curl -s localhost:8081/v1/lint -d '{"text": "您的包裹一定會在明天送到,我保證。"}'
  curl -s localhost:8081/v2/check --data-urlencode 'text=我保證明天送到' -d language=zh-TW`,
    )
    .action(async (options: ServeCommandOptions) => {
      setExitCode(await runServe(options));
    });
}
