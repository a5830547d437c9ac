// The exports to audit: files, directories (their transcript files, recursively, sorted), globs, `-`.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { comparePaths, errnoMessage, hasGlobMagic } from '../inputs/files.js';
import { STDIN_NAME } from './source.js';

/** What a directory is searched for; files named directly are read whatever their name. */
export const TRANSCRIPT_FILE = /\.(csv|tsv|tab|jsonl|ndjson|json)(\.gz)?$/i;
const SKIPPED = ['node_modules', '.git'];

export type AuditTarget = { path: string } | { path: string; error: string };

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.includes(entry.name)) out.push(...(await walk(full)));
    } else if (TRANSCRIPT_FILE.test(entry.name) && entry.isFile()) {
      out.push(full);
    }
  }
  return out.sort(comparePaths);
}

/** Paths → files in the order named; a file named twice is read once. */
export async function expandAuditPaths(paths: readonly string[]): Promise<AuditTarget[]> {
  const out: AuditTarget[] = [];
  const seen = new Set<string>();
  const add = (t: AuditTarget) => {
    if (seen.has(t.path)) return;
    seen.add(t.path);
    out.push(t);
  };
  for (const path of paths) {
    if (path === '-' || path === STDIN_NAME) {
      add({ path: STDIN_NAME });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      if (hasGlobMagic(path)) {
        const { glob } = await import('tinyglobby');
        const files = (await glob(path, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(path), ignore: SKIPPED.map((d) => `**/${d}/**`) })).sort(comparePaths);
        if (files.length === 0) add({ path, error: 'no files match this pattern' });
        for (const f of files) add({ path: f });
      } else {
        add({ path, error: errnoMessage(e).error });
      }
      continue;
    }
    if (info.isDirectory()) {
      const files = await walk(path);
      if (files.length === 0) add({ path, error: 'no .csv, .tsv, .jsonl or .json files in this directory' });
      for (const f of files) add({ path: f });
    } else {
      add({ path });
    }
  }
  return out;
}
