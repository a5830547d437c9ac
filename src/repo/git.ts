// `--changed-since <ref>`: the files a branch changed, from git itself.
import { execFile } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../cli/errors.js';

const run = promisify(execFile);

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UsageError('--changed-since needs git, and git was not found on the PATH');
    const reason = (err.stderr ?? err.message).trim().split('\n')[0] ?? '';
    throw new GitError(reason);
  }
}

class GitError extends Error {}

const splitZ = (s: string) => s.split('\0').filter(Boolean);

/**
 * Files changed since `ref`, as paths relative to `cwd`: everything that differs between the point
 * where the current branch left `ref` (their merge base) and the working tree — committed on the
 * branch, staged or not — plus new files git does not ignore. Deleted files are left out.
 */
export async function changedSince(ref: string, cwd = process.cwd()): Promise<string[]> {
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--changed-since: ${cwd} is not inside a git work tree`);
    throw e;
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--changed-since: '${ref}' is not a commit, branch or tag git knows (in a shallow CI clone, fetch it first)`);
    throw e;
  }
  let base: string;
  try {
    base = (await git(['merge-base', ref, 'HEAD'], cwd)).trim();
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--changed-since: '${ref}' and HEAD have no common history (a shallow clone? fetch with more depth)`);
    throw e;
  }
  const [changed, untracked] = await Promise.all([
    git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', base, '--'], top),
    git(['ls-files', '--others', '--exclude-standard', '-z'], top),
  ]);
  const files = [...new Set([...splitZ(changed), ...splitZ(untracked)])];
  return files.map((f) => relative(cwd, resolve(top, f)) || '.').sort();
}
