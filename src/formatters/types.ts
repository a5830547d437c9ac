// What every formatter is given: one entry per file, in the order the files were named.
import type { Finding } from '../engine/findings.js';
import type { RuleSpec, Severity } from '../rules/types.js';

export interface FileResult {
  /** As the user named it (or found under a directory they named); `<stdin>` for standard input. */
  path: string;
  /** The decoded text that was linted (without a BOM); absent when the file could not be read. */
  text?: string;
  findings: Finding[];
  /** Why the file was not linted (binary, invalid UTF-8, missing…). */
  error?: string;
}

export interface Summary {
  files: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings per category; categories with no finding are absent. */
  byCategory: Record<string, number>;
  /** Files that could not be linted (those with `error`). */
  skipped: number;
}

export interface FormatOptions {
  /** Colour output (stylish only). */
  color?: boolean;
  /** Print nothing when there is nothing to report (stylish only). */
  quiet?: boolean;
  /** The rules that ran, for formats that describe them (sarif). */
  rules?: readonly RuleSpec[];
  /** huashu's version, for formats that name the tool (sarif). */
  version?: string;
  /** Paths are reported relative to this directory where they lie inside it (default: process.cwd()). */
  cwd?: string;
  /**
   * sarif, github, rdjson: paths relative to this directory (the repository root) rather than to `cwd`;
   * relative to `cwd` itself when given relative. Undefined: relative to `cwd`.
   */
  basePath?: string;
  /** github: at most this many annotations (errors first), then one notice with the number left out. */
  maxAnnotations?: number;
  /** sarif, rdjson: where a rule's documentation is (helpUri, code.url). */
  helpUri?: (ruleId: string) => string | undefined;
}

export type Formatter = (files: readonly FileResult[], options?: FormatOptions) => string;

/**
 * A report as pieces to write one after another (a few lines each, a file's or a finding's): a big report
 * never becomes one string, which V8 caps at 512 MB, and is not held whole in memory.
 */
export type ChunkFormatter = (files: readonly FileResult[], options?: FormatOptions) => Iterable<string>;

/** The whole report as one string (small reports, the library, the tests). */
export const joined =
  (format: ChunkFormatter): Formatter =>
  (files, options) => {
    let out = '';
    for (const chunk of format(files, options)) out += chunk;
    return out;
  };

/** `json` (the output of JSON.stringify(value, null, 2)) as it appears nested `depth` spaces deep. */
export const indentJson = (json: string, depth: number): string => json.replace(/\n/g, `\n${' '.repeat(depth)}`);

const SEVERITY_KEY: Record<Severity, 'errors' | 'warnings' | 'infos'> = { error: 'errors', warning: 'warnings', info: 'infos' };

export function summarize(files: readonly FileResult[]): Summary {
  const s: Summary = { files: files.length, findings: 0, errors: 0, warnings: 0, infos: 0, byCategory: {}, skipped: 0 };
  const categories = new Map<string, number>();
  for (const file of files) {
    if (file.error !== undefined) s.skipped++;
    for (const f of file.findings) {
      s.findings++;
      s[SEVERITY_KEY[f.severity]]++;
      categories.set(f.category, (categories.get(f.category) ?? 0) + 1);
    }
  }
  for (const c of [...categories.keys()].sort()) s.byCategory[c] = categories.get(c)!;
  return s;
}

/** A binary file passed over: reported, but not an input error. */
export const isBinarySkip = (file: FileResult): boolean => file.error?.startsWith('binary file') === true;
