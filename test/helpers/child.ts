// huashu in a child process that the test does not wait for (runs side by side, a reader on a FIFO).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'huashu.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `huashu args` in `cwd` without colour; resolves when it exits. */
export function huashuChild(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Run `huashu args` to the end, without colour (FORCE_COLOR dropped too): its exit code and output.
 * `env` adds variables, or with undefined removes them (HUASHU_SEEDS, GITHUB_STEP_SUMMARY…).
 */
export function huashuSync(
  args: string[],
  options: { cwd: string; input?: string; timeout?: number; maxBuffer?: number; env?: Record<string, string | undefined> },
): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, input: options.input ?? '', encoding: 'utf8', env, timeout: options.timeout ?? 120_000, maxBuffer: options.maxBuffer ?? 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
