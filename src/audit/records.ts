// Framed records → rows: parse the fields (csv-parse for quoted CSV, JSON.parse for JSON lines), map
// them to a turn, and lint the agent turns. Runs in the worker threads (and in the main thread with
// --jobs 1). Every record gives at least one row result: audited, skipped or error, never nothing.
import { parse as parseCsv } from 'csv-parse/sync';
import type { Finding } from '../engine/findings.js';
import { lintText, type LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { classifyRole, fieldText, type Field, type Mapping, type Role } from './mapping.js';
import type { InputFormat } from './readers.js';

export type SkipCode = 'customer' | 'other-role' | 'empty-text' | 'blank';
export type ErrorCode = 'bad-quoting' | 'field-count' | 'missing-text' | 'undecodable' | 'invalid-json' | 'not-an-object' | 'truncated-gzip' | 'read-error';

/** A finding plus a little of the reply around it, for reports; `…` marks where the reply goes on. */
export interface AuditFinding extends Finding {
  before: string;
  after: string;
}

export interface RowResult {
  /** 1-based line where the row starts (JSON arrays: the item number). */
  line: number;
  status: 'audited' | 'skipped' | 'error';
  code?: SkipCode | ErrorCode;
  reason?: string;
  role?: Role;
  roleValue?: string;
  conversation?: string;
  turn?: string;
  agent?: string;
  time?: string;
  /** Customer turns only: the context carried with the agent turns that follow. */
  text?: string;
  findings?: AuditFinding[];
}

/** A batch of framed records, as parallel arrays: cheaper to send to a worker than objects. */
export interface AuditTask {
  format: InputFormat;
  /** CSV/TSV header. */
  header?: string[];
  mapping: Mapping;
  /** Where each record starts (see FramedRecord.line). */
  lines: number[];
  /** CSV/TSV/JSONL: each record's text. */
  texts: string[];
  /** JSON arrays: each item. */
  values: unknown[];
  /** Indices of unterminated CSV/TSV records. */
  unterminated: number[];
}

const SNIPPET = 20;
const UNDECODABLE = 'undecodable bytes (decoded as U+FFFD): a wrong --encoding, or a damaged file';

function isLowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Up to SNIPPET code units before and after the finding (… where the reply is cut), not cutting a surrogate pair. */
function withSnippet(text: string, f: Finding): AuditFinding {
  let from = Math.max(0, f.offset - SNIPPET);
  if (from > 0 && isLowSurrogate(text, from)) from--;
  let to = Math.min(text.length, f.offset + f.length + SNIPPET);
  if (to < text.length && isLowSurrogate(text, to)) to++;
  return { ...f, before: (from > 0 ? '…' : '') + text.slice(from, f.offset), after: text.slice(f.offset + f.length, to) + (to < text.length ? '…' : '') };
}

type Fields = { values: (name: string) => unknown } | { error: ErrorCode; reason: string };

function csvError(e: unknown): { error: ErrorCode; reason: string } {
  const err = e as Error & { code?: string };
  // csv-parse says "at line 1" of the one record it was given: the row's own line is in the report.
  const message = err.message.replace(/ at line \d+/, '').replace(/\s+/g, ' ');
  // With relax_column_count, what csv-parse can still reject is the quoting.
  return { error: 'bad-quoting', reason: `bad quoting: ${message}` };
}

/**
 * Fields of each CSV/TSV record. A record without quotes is split at the delimiter (that is all RFC 4180
 * asks of it); the quoted ones go through csv-parse, all at once, or one by one when one is broken.
 */
function splitCsv(texts: readonly string[], delimiter: string): (string[] | { error: ErrorCode; reason: string })[] {
  const out: (string[] | { error: ErrorCode; reason: string })[] = texts.map((t) => (t.includes('"') ? [] : t.split(delimiter)));
  const quoted = texts.map((t, i) => (t.includes('"') ? i : -1)).filter((i) => i >= 0);
  if (quoted.length === 0) return out;
  const options = { delimiter, record_delimiter: '\n', relax_column_count: true, skip_empty_lines: false } as const;
  try {
    const parsed = parseCsv(quoted.map((i) => texts[i]).join('\n'), options) as string[][];
    if (parsed.length === quoted.length) {
      quoted.forEach((i, k) => (out[i] = parsed[k]!));
      return out;
    }
  } catch {
    // one of them is broken: find out which below
  }
  for (const i of quoted) {
    try {
      const parsed = parseCsv(texts[i]!, options) as string[][];
      out[i] = parsed.length === 1 ? parsed[0]! : { error: 'bad-quoting', reason: `bad quoting: the row holds ${parsed.length} records` };
    } catch (e) {
      out[i] = csvError(e);
    }
  }
  return out;
}

export type TaskRunner = (task: AuditTask) => RowResult[];

/** A runner that lints with `set`: built once per worker, so the rules are loaded once per worker. */
export function createTaskRunner(set: RuleSet, lintOptions: LintOptions): TaskRunner {
  return (task) => {
    const { mapping } = task;
    const results: RowResult[] = [];

    const toRow = (line: number, fields: Fields, raw: string | undefined): RowResult => {
      if ('error' in fields) return { line, status: 'error', code: fields.error, reason: fields.reason };
      if (raw !== undefined && raw.includes('\uFFFD')) {
        return { line, status: 'error', code: 'undecodable', reason: UNDECODABLE };
      }
      const get = (field: Field) => {
        const column = mapping.columns[field];
        return column === undefined ? undefined : fieldText(fields.values(column));
      };
      const text = get('text');
      if (text === undefined) {
        const column = mapping.columns.text;
        return { line, status: 'error', code: 'missing-text', reason: column === undefined ? 'no text column (name it with --text)' : `missing text column '${column}'` };
      }
      if (raw === undefined && text.includes('\uFFFD')) {
        return { line, status: 'error', code: 'undecodable', reason: UNDECODABLE };
      }
      const roleValue = get('role');
      const role = classifyRole(roleValue, mapping);
      const row: RowResult = { line, status: 'skipped', role, roleValue, conversation: get('conversation'), turn: get('turn'), agent: get('agent'), time: get('time') };
      if (role === 'customer') {
        row.code = 'customer';
        row.text = text;
      } else if (role === 'other') {
        row.code = 'other-role';
        row.reason = roleValue === undefined ? 'no role value' : `role '${roleValue}' is neither an agent nor a customer role (see --agent-role)`;
      } else if (text.trim() === '') {
        row.code = 'empty-text';
      } else {
        row.status = 'audited';
        row.findings = lintText(text, set, lintOptions).map((f) => withSnippet(text, f));
      }
      return row;
    };

    if (task.format === 'csv' || task.format === 'tsv') {
      const header = task.header ?? [];
      const index = new Map<string, number>();
      header.forEach((h, i) => index.has(h) || index.set(h, i));
      const textColumn = mapping.columns.text;
      const delimiter = task.format === 'tsv' ? '\t' : ',';
      // Unterminated records (a quote that never closed) are read line by line.
      const units: { line: number; text: string; multiline: boolean }[] = [];
      task.texts.forEach((text, i) => {
        const line = task.lines[i]!;
        if (task.unterminated.includes(i)) text.split('\n').forEach((t, k) => units.push({ line: line + k, text: t.replace(/\r$/, ''), multiline: false }));
        else units.push({ line, text, multiline: text.includes('\n') });
      });
      const parsed = splitCsv(
        units.map((u) => u.text),
        delimiter,
      );
      units.forEach((u, k) => {
        const fields = parsed[k]!;
        if (!Array.isArray(fields) && u.multiline) {
          // Broken quoting across lines: the framing cannot be trusted, so each line stands alone.
          const lines = u.text.split('\n').map((t) => t.replace(/\r$/, ''));
          splitCsv(lines, delimiter).forEach((f, j) => results.push(csvRow(u.line + j, f, lines[j]!)));
        } else {
          results.push(csvRow(u.line, fields, u.text));
        }
      });

      function csvRow(line: number, fields: string[] | { error: ErrorCode; reason: string }, raw: string): RowResult {
        if (!Array.isArray(fields)) return toRow(line, fields, raw);
        if (fields.length !== header.length) {
          const textIndex = textColumn === undefined ? -1 : (index.get(textColumn) ?? -1);
          if (textIndex >= fields.length) {
            return { line, status: 'error', code: 'missing-text', reason: `missing text column '${textColumn}': the row has ${fields.length} of ${header.length} fields` };
          }
          return { line, status: 'error', code: 'field-count', reason: `the row has ${fields.length} fields, the header ${header.length}` };
        }
        return toRow(line, { values: (name) => fields[index.get(name) ?? -1] }, raw);
      }
    } else {
      const count = task.format === 'json' ? task.values.length : task.texts.length;
      for (let i = 0; i < count; i++) {
        const line = task.lines[i]!;
        const text = task.texts[i];
        let value = task.values[i];
        if (task.format === 'jsonl') {
          if (text!.trim() === '') {
            results.push({ line, status: 'skipped', code: 'blank' });
            continue;
          }
          try {
            value = JSON.parse(text!);
          } catch (e) {
            const undecodable = text!.includes('\uFFFD');
            results.push({ line, status: 'error', code: undecodable ? 'undecodable' : 'invalid-json', reason: undecodable ? UNDECODABLE : `invalid JSON: ${(e as Error).message}` });
            continue;
          }
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          results.push({ line, status: 'error', code: 'not-an-object', reason: `not a JSON object: ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
          continue;
        }
        const object = value as Record<string, unknown>;
        results.push(toRow(line, { values: (name) => object[name] }, text));
      }
    }
    return results;
  };
}
