// The exports to audit: files, directories (their transcript files, recursively, sorted), globs, `-`.
// The same expansion as `huashu lint` (inputs/files.ts), searching for transcript files instead of drafts.
import { expandPaths } from '../inputs/files.js';
import { STDIN_NAME } from './source.js';

/** What a directory or a glob is searched for; files named directly are read whatever their name. */
export const TRANSCRIPT_FILE = /\.(csv|tsv|tab|jsonl|ndjson|json)(\.gz)?$/i;

/** `named`: the user named this file (rather than a directory or glob holding it). */
export type AuditTarget = { path: string; named?: boolean } | { path: string; error: string };

/** Paths → files in the order named; a file named twice (`s.csv ./s.csv`) is read once. */
export async function expandAuditPaths(paths: readonly string[]): Promise<AuditTarget[]> {
  const targets = await expandPaths(paths, { kind: { accepts: (name) => TRANSCRIPT_FILE.test(name), described: '.csv, .tsv, .jsonl or .json files' } });
  return targets.map((t) => ('error' in t ? { path: t.path, error: t.error } : t.stdin ? { path: STDIN_NAME } : { path: t.path, named: t.named }));
}
