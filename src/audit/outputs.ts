// Where audit results go: regular files written atomically (inputs/write.ts: a temporary file in the same
// directory, fsync, rename over the target keeping its mode; removed again if the run fails), devices and
// FIFOs written directly, and standard output with back-pressure. Plus the shape of each JSON line.
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { PendingFile } from '../inputs/write.js';
import type { AuditFinding, RowResult } from './records.js';

const FLUSH_AT = 64 * 1024;

/** Lines are appended synchronously and written out in chunks; `flush` waits for the disk or the pipe. */
export interface LineSink {
  push(text: string): void;
  /** Write what was pushed once there is enough of it (`force`: all of it). */
  flush(force?: boolean): Promise<void>;
}

/** Pushed lines kept in memory until there are FLUSH_AT characters of them, then written in one go. */
abstract class BufferedSink implements LineSink {
  private buffer: string[] = [];
  private buffered = 0;

  protected abstract write(data: string): Promise<void>;

  push(text: string): void {
    this.buffer.push(text);
    this.buffered += text.length;
  }

  async flush(force = false): Promise<void> {
    if (this.buffered === 0 || (!force && this.buffered < FLUSH_AT)) return;
    const data = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    await this.write(data);
  }
}

/**
 * An output of the run: written as the run goes, made final by `commit` once every output is `prepare`d,
 * or dropped by `abort` when the run fails.
 */
export interface OutputSink extends LineSink {
  /** Write out what is left and make it durable: the step where a full disk shows. */
  prepare(): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** A regular file that appears (or replaces the old one) only when `commit` is called (inputs/write.ts PendingFile). */
export class AtomicFile extends BufferedSink implements OutputSink {
  private constructor(private readonly file: PendingFile) {
    super();
  }

  /** `target`: a real path (outputs.ts resolveOutput), `mode`: the mode of the file it replaces. */
  static async create(target: string, mode: number | undefined): Promise<AtomicFile> {
    return new AtomicFile(await PendingFile.open(target, mode));
  }

  protected async write(data: string): Promise<void> {
    await this.file.write(data);
  }

  async prepare(): Promise<void> {
    await this.flush(true);
    await this.file.finish();
  }

  async commit(): Promise<void> {
    await this.prepare();
    await this.file.commit();
  }

  async abort(): Promise<void> {
    await this.file.abort();
  }
}

/** A device, FIFO or terminal (/dev/null, a named pipe): written to directly, since it cannot be replaced. */
export class DirectFile extends BufferedSink implements OutputSink {
  private constructor(private readonly handle: FileHandle) {
    super();
  }

  static async open(path: string): Promise<DirectFile> {
    return new DirectFile(await open(path, 'w'));
  }

  protected async write(data: string): Promise<void> {
    await this.handle.write(data, null, 'utf8');
  }

  async prepare(): Promise<void> {
    await this.flush(true);
  }

  async commit(): Promise<void> {
    await this.prepare();
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Standard output, waiting for 'drain' so a slow reader holds the audit back instead of memory growing. */
export class StdoutSink extends BufferedSink implements OutputSink {
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    super();
  }

  protected async write(data: string): Promise<void> {
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async prepare(): Promise<void> {
    await this.flush(true);
  }

  async commit(): Promise<void> {
    await this.prepare();
  }

  async abort(): Promise<void> {}
}

export interface RowPlace {
  file: string;
  row: number;
  /** Where the row starts in the file (JSON arrays: the item number). */
  line: number;
  conversation?: string;
  turn?: string;
  agent?: string;
  time?: string;
  /** The team or queue column. */
  team?: string;
  /** The preceding customer turn of the conversation. */
  customer?: string;
  /** `--part`: the name of the part of a split input this run reads. */
  part?: string;
  /** `--offset`: added to `row` and `line` (they are then the whole input's numbers). */
  offset?: number;
  /** `--id`: the export's own id columns of the row. */
  ids?: Record<string, unknown>;
}

/** How an input was read, carried by the first result line of each input so `audit merge` can say it too. */
export interface InputInfo {
  encoding?: string;
  gzip?: boolean;
  format?: string;
  columns?: Record<string, string>;
}

/** One line of --out findings.jsonl. `line`/`column` are positions in the reply, as in `huashu lint`. */
export function findingLine(place: RowPlace, f: AuditFinding): string {
  return (
    JSON.stringify({
      file: place.file,
      row: place.row,
      fileLine: place.line,
      ids: place.ids,
      conversation: place.conversation,
      turn: place.turn,
      agent: place.agent,
      team: place.team,
      time: place.time,
      ...findingFields(f),
      before: f.before,
      after: f.after,
      suggestion: f.suggestions[0]?.text,
      suggestions: f.suggestions.map((s) => s.text),
      customer: place.customer,
    }) + '\n'
  );
}

/** The fields of a finding every JSON output line carries, in this order. */
function findingFields(f: AuditFinding) {
  return {
    rule: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    excerpt: f.excerpt,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    offset: f.offset,
    length: f.length,
  };
}

/** One line of --errors errors.jsonl. */
export function errorLine(place: Pick<RowPlace, 'file' | 'row' | 'line'>, r: Pick<RowResult, 'code' | 'reason'>): string {
  return JSON.stringify({ file: place.file, row: place.row, line: place.line, code: r.code, reason: r.reason }) + '\n';
}

/**
 * One line per input row for --format jsonl (the streaming filter contract). Every field the summary
 * needs is here, so `audit merge` can feed result lines back through the same aggregator (merge.ts).
 */
export function resultLine(place: RowPlace, r: RowResult, input?: InputInfo): string {
  return (
    JSON.stringify({
      file: place.file,
      part: place.part,
      offset: place.offset,
      row: place.row,
      line: place.line,
      input,
      ids: place.ids,
      status: r.status,
      code: r.code,
      reason: r.reason,
      conversation: place.conversation,
      turn: place.turn,
      role: r.roleValue,
      agent: place.agent,
      team: place.team,
      time: place.time,
      findings: r.findings?.map(resultFinding),
      suppressed: r.suppressed?.length ? r.suppressed.map(resultFinding) : undefined,
      customer: r.status === 'audited' ? place.customer : undefined,
    }) + '\n'
  );
}

const resultFinding = (f: AuditFinding) => ({ ...findingFields(f), before: f.before, after: f.after, suggestion: f.suggestions[0]?.text });
