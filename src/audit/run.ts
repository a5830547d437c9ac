// The audit pipeline, streaming end to end:
//   bytes (file/stdin, gunzipped) → text (detected encoding) → framed records (main thread)
//   → batches → parse + map + lint (worker threads) → results consumed in input order (main thread):
//   conversation context, totals, findings/errors/result lines.
// JSON lines and CSV/TSV in UTF-8, GB18030 or Big5 skip the main thread's decoding: their records are
// found in the bytes (line feeds; quotes for CSV), and each block of them is decoded where it is linted.
// At most a few batches per thread are in flight, so memory stays flat whatever the input size.
import { stat } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import type { LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { Aggregator, type AuditSummary, type Example, type FileSummary } from './aggregate.js';
import { ConversationTracker } from './context.js';
import { decodeBytes, decodeChunks, isLineSplittable, sampleInput } from './decode.js';
import { describeMapping, detectMapping, MappingError, mappingProblem, type Mapping, type MappingOptions } from './mapping.js';
import { errorLine, findingLine, resultLine, type InputInfo, type LineSink, type RowPlace } from './outputs.js';
import type { AuditTarget } from './paths.js';
import { createBatchRunner, PER_WORKER } from './pool.js';
import { csvBlocks, framedRecords, formatFromName, JsonArrayError, jsonlBlocks, sniffFormat, utf8Chunks, type InputFormat } from './readers.js';
import { decodeBlock, lintReply, recordText, type AuditFinding, type AuditTask, type ErrorCode, type RowResult, type SkipCode } from './records.js';
import type { ScoringModel } from './scoring.js';
import { innerName, openSource, SourceError, STDIN_NAME, type Source } from './source.js';

export interface AuditOptions {
  /** What to read (paths.ts expandAuditPaths). */
  targets: readonly AuditTarget[];
  inputFormat?: InputFormat;
  encoding?: string;
  mapping: MappingOptions;
  jobs: number;
  /** Records per batch sent to a worker. */
  batchSize: number;
  set: RuleSet;
  packs: string[];
  /** The config file the rules come from (null: none, the defaults); the workers load it too. */
  configFile?: string | null;
  lintOptions: LintOptions;
  /** How conversations are scored (default: scoring.ts DEFAULT_SCORING). */
  scoring?: ScoringModel;
  /** Sinks for the outputs that were asked for. */
  findings?: LineSink;
  errors?: LineSink;
  /** One JSON line per conversation scored. */
  scores?: LineSink;
  results?: LineSink;
  /** Notes for the user (what was detected, files that cannot be read): stderr, or nowhere. */
  note(message: string): void;
  stdin?: NodeJS.ReadableStream;
  /** `--input-name`: what standard input is called in the outputs (default `<stdin>`). */
  inputName?: string;
  /** `--columns`: the column names of CSV/TSV inputs without a header line. */
  columns?: string[];
  /** `--id`: columns whose values each result line carries (`ids`). */
  ids?: string[];
  /** `--part`: the name of this part of a split input, on every result line. */
  part?: string;
  /** `--offset`: added to every `row` and `line`. */
  offset?: number;
  /** Reviewers' suppressions and the review sample (review.ts). */
  review?: ReviewHook;
  /**
   * No output asked for shows every finding's suggestions (no findings or result lines, no review sheet):
   * the replies are linted without suggestions, and only those whose findings the summary keeps as examples
   * are linted again with them (the first findings of each rule, in input order: the same at any --jobs).
   */
  examplesOnlySuggest?: boolean;
  /**
   * Standard input is a pipe or terminal whose lines arrive as they are written (a chat system's filter):
   * its records are linted as each chunk arrives, and their result lines written out at once.
   */
  live?: boolean;
}

/** What the review loop (review.ts) sees of each flagged reply, and which findings it keeps. */
export interface ReviewHook {
  /** Rows need their reply's text (RowResult.replyText). */
  keepText: boolean;
  /** The findings to report; the others were rejected by a reviewer for this very reply. */
  reply(place: RowPlace, findings: AuditFinding[], text: string | undefined): { kept: AuditFinding[]; suppressed: AuditFinding[] };
}

/** Live counters for the progress line. */
export interface Progress {
  rows: number;
  findings: number;
  /** Bytes of the inputs finished so far. */
  bytesBefore: number;
  /** The input being read (its bytesRead grows). */
  source?: Source;
  /** Sum of the sizes of the files named; undefined when reading stdin. */
  bytesTotal?: number;
}

export interface AuditOutcome {
  summary: AuditSummary;
  examples: Map<string, Example[]>;
  /** Inputs that could not be read at all. */
  unreadable: number;
}

const BATCH_CHARS = 512 * 1024;

interface Pending {
  file: FileSummary;
  results: Promise<RowResult[]>;
}

export async function runAudit(options: AuditOptions, progress?: Progress): Promise<AuditOutcome> {
  const agg = new Aggregator(options.scoring, options.scores ? (c) => options.scores!.push(JSON.stringify(c) + '\n') : undefined);
  const tracker = new ConversationTracker();
  const later = options.examplesOnlySuggest === true;
  /** How replies are judged (in every thread): the suggestions left out when only examples show them. */
  const judging: LintOptions = later ? { ...options.lintOptions, suggestions: false } : options.lintOptions;
  const runner = await createBatchRunner(options.jobs, options.set, { packs: options.packs, configFile: options.configFile ?? null, lintOptions: judging, keepText: options.review?.keepText, keepContext: later });
  // Room for every worker's queue plus a few batches the main thread lints or waits on.
  const maxInFlight = 4 + runner.workers * (PER_WORKER + 2);
  const queue: Pending[] = [];
  const fileRows = new Map<FileSummary, number>();
  const offset = options.offset ?? 0;
  /** How each input was read, said on its first result line (for audit merge). */
  const inputInfo = (file: FileSummary): InputInfo | undefined =>
    fileRows.has(file) ? undefined : { encoding: file.encoding, gzip: file.gzip, format: file.format, columns: file.columns };
  let unreadable = 0;

  const sinks = [options.findings, options.errors, options.results, options.scores].filter((x): x is LineSink => x !== undefined);
  let noConversation = '';

  // Results are consumed strictly in input order (the order of the queue), a batch at a time.
  // A reply split over consecutive agent messages is judged as one (LintOptions.precedingTurn), and with
  // the customer's message it answers (LintOptions.customerTurn). Within a batch the thread that lints it
  // sees them; across batches the main thread judges again (both carry their text: RowResult.ownText):
  // the batch's first reply with the previous batch's last one, and a reply whose customer message lies
  // in an earlier batch with that message.
  let chain: { file: FileSummary; conversation: string; text: string } | undefined;
  // The last customer message read (of a row with a conversation), kept as three values: no object a row.
  let customerFile: FileSummary | undefined;
  let customerConversation: string | undefined;
  let customerText: string | undefined;
  const continueChain = (file: FileSummary, results: RowResult[]) => {
    let edge = true;
    // Whether a customer message has been read in this batch yet: if so, the last one is in it, and the
    // thread that linted the batch saw it (a reply of that conversation after it was judged with it).
    let customerInBatch = false;
    for (const r of results) {
      if (r.code === 'blank' || r.code === 'empty-text') continue; // neither breaks nor continues it
      if (r.status === 'audited') {
        if (r.ownText !== undefined && r.findings?.length) {
          const chained = edge && chain?.file === file && chain.conversation === r.conversation ? chain.text : r.chainedText;
          const answers = !customerInBatch && r.conversation !== undefined && customerFile === file && customerConversation === r.conversation ? customerText : undefined;
          if ((edge && chained !== undefined) || answers !== undefined) {
            r.findings = lintReply(r.ownText, options.set, judging, chained, answers);
            if (later) {
              r.precedingText = chained;
              r.customerText = answers;
            }
          }
        }
        chain = r.conversation !== undefined && r.ownText !== undefined ? { file, conversation: r.conversation, text: r.ownText } : undefined;
      } else {
        if (r.code === 'customer' && r.conversation !== undefined && r.text !== undefined) {
          customerInBatch = true;
          customerFile = file;
          customerConversation = r.conversation;
          customerText = r.text;
        }
        chain = undefined;
      }
      edge = false;
    }
  };

  /**
   * A flagged reply judged again as it was, with suggestions this time, for the rules it gives an example
   * of (each suggestion is checked by linting it: the others' would be thrown away). A finding's
   * suggestions do not depend on the other rules' findings, only on its span and the reply.
   */
  const withSuggestions = (r: RowResult, findings: AuditFinding[], rules: string[]) => {
    const full = lintReply(r.replyText!, options.set, { ...options.lintOptions, only: rules }, r.precedingText, r.customerText);
    for (const f of findings) {
      const same = full.find((g) => g.ruleId === f.ruleId && g.offset === f.offset && g.length === f.length);
      if (same) f.suggestions = same.suggestions;
    }
  };

  const consume = async (file: FileSummary, results: RowResult[]) => {
    continueChain(file, results);
    let row = fileRows.get(file) ?? 0;
    let input = options.results ? inputInfo(file) : undefined;
    for (const r of results) {
      row++;
      const place: RowPlace = { file: file.file, row: row + offset, line: r.line + offset, conversation: r.conversation, turn: r.turn, agent: r.agent, time: r.time, team: r.team };
      if (options.part !== undefined) place.part = options.part;
      if (options.offset !== undefined) place.offset = options.offset;
      if (r.ids !== undefined) place.ids = JSON.parse(r.ids) as Record<string, unknown>;
      if (r.status === 'error') {
        agg.addError(file, r.code as ErrorCode);
        options.errors?.push(errorLine(place, r));
      } else {
        if (r.code !== 'blank') {
          if (r.conversation === undefined && noConversation === '') noConversation = `\u0000${file.file}`;
          const state = tracker.get(r.conversation ?? noConversation);
          state.turns++;
          place.turn ??= String(state.turns);
          if (r.status === 'audited') place.customer = state.customer;
          if (r.role === 'customer') state.customer = r.text;
        }
        if (r.status === 'skipped') {
          agg.addSkipped(file, r.code as SkipCode, r.roleValue);
        } else {
          let findings = r.findings ?? [];
          if (options.review && findings.length > 0) {
            const { kept, suppressed } = options.review.reply(place, findings, r.replyText);
            if (suppressed.length > 0) {
              r.findings = findings = kept;
              r.suppressed = suppressed;
            }
          }
          if (later && findings.length > 0) {
            const rules = agg.rulesTakingExamples(findings);
            if (rules.length > 0) withSuggestions(r, findings, rules);
          }
          agg.addAudited(file, place, findings);
          if (options.findings) for (const f of findings) options.findings.push(findingLine(place, f));
          if (progress) progress.findings += findings.length;
        }
      }
      options.results?.push(resultLine(place, r, input));
      input = undefined;
    }
    fileRows.set(file, row);
    if (progress) progress.rows += results.length;
    for (const sink of sinks) await sink.flush(liveNow && sink === options.results);
  };
  /** Reading live input: results are consumed as soon as they are ready, not when the next input comes. */
  let liveNow = false;
  let pumping: Promise<void> | undefined;
  let pumpError: unknown;
  const pump = (): Promise<void> =>
    (pumping ??= (async () => {
      try {
        if (pumpError !== undefined) throw pumpError;
        // (Never done without an await, so `pumping` is set first: pump is called with a batch queued.)
        while (queue.length > 0) {
          const results = await queue[0]!.results;
          const next = queue.shift()!;
          await consume(next.file, results);
        }
      } catch (e) {
        pumpError ??= e; // the run stops: every later drain throws it
        throw e;
      } finally {
        pumping = undefined;
      }
    })());
  const drain = async (limit: number) => {
    if (liveNow) {
      while (queue.length > limit) await pump();
      return;
    }
    while (queue.length > limit) {
      const next = queue.shift()!;
      await consume(next.file, await next.results);
    }
  };
  /** After a batch is queued: with live input, start consuming it as soon as it is linted. */
  const started = () => {
    if (liveNow) pump().catch(() => {}); // a failure is thrown again by the drain that awaits the same batch
  };
  const submit = async (file: FileSummary, task: AuditTask) => {
    // Let the workers' finished batches in first: otherwise the main thread, reading and linting without
    // a pause, keeps seeing their queues full, lints batch after batch itself and leaves them idle.
    if (runner.workers > 0) await setImmediate();
    const results = runner.run(task);
    results.catch(() => {}); // a failure is thrown when the batch's turn comes, not as an unhandled rejection
    queue.push({ file, results });
    started();
    await drain(maxInFlight);
  };
  const fail = async (file: FileSummary, result: RowResult) => {
    queue.push({ file, results: Promise.resolve([result]) });
    started();
    await drain(maxInFlight);
  };

  try {
    const { targets } = options;
    if (progress) {
      // The total for the ETA: the sizes of the files named (unknown for stdin).
      for (const t of targets) {
        if ('error' in t || t.path === STDIN_NAME) continue;
        progress.bytesTotal = (progress.bytesTotal ?? 0) + ((await stat(t.path).catch(() => undefined))?.size ?? 0);
      }
    }
    for (const target of targets) {
      // Every field from the start, in the order they are set (the order of the summary's keys): the inputs'
      // summaries keep one shape, so the code that counts into them is not compiled again for each input.
      const file: FileSummary = {
        file: target.path === STDIN_NAME && options.inputName !== undefined ? options.inputName : target.path,
        rows: 0, audited: 0, skipped: 0, errors: 0,
        encoding: undefined, gzip: undefined, format: undefined, columns: undefined, findings: undefined, info: undefined, rate: undefined, score: undefined, error: undefined,
      };
      noConversation = '';
      agg.files.push(file);
      if ('error' in target) {
        file.error = target.error;
        unreadable++;
        options.note(`${target.path}: ${target.error}`);
        continue;
      }
      let source: Source;
      try {
        source = await openSource(target.path, options.stdin);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        file.error = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
        unreadable++;
        options.note(`${target.path}: ${file.error}`);
        continue;
      }
      if (progress) progress.source = source;
      liveNow = options.live === true && target.path === STDIN_NAME;
      try {
        await auditSource(source, file, { ...options, live: liveNow }, submit, fail);
        // What this input queued is consumed before the next input is read (live or not: same order).
        if (liveNow) await drain(0);
      } finally {
        if (progress) {
          progress.bytesBefore += source.bytesRead;
          progress.source = undefined;
        }
      }
    }
    await drain(0);
  } finally {
    await runner.close();
  }
  return { summary: agg.summary(), examples: agg.examples, unreadable };
}

/** Keys of the first objects of a JSON lines or JSON array batch: what the mapping is detected from. */
function keysOf(format: InputFormat, batch: Pick<AuditTask, 'texts' | 'values'>): string[] {
  const keys = new Set<string>();
  let seen = 0;
  const count = format === 'json' ? batch.values.length : batch.texts.length;
  for (let i = 0; i < count; i++) {
    let value: unknown = batch.values[i];
    if (format === 'jsonl') {
      try {
        value = JSON.parse(batch.texts[i]!);
      } catch {
        continue;
      }
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const k of Object.keys(value)) keys.add(k);
      if (++seen >= 50) break;
    }
  }
  return [...keys];
}

async function auditSource(
  source: Source,
  file: FileSummary,
  options: AuditOptions,
  submit: (file: FileSummary, task: AuditTask) => Promise<void>,
  fail: (file: FileSummary, result: RowResult) => Promise<void>,
): Promise<void> {
  const newBatch = () => ({ lines: [] as number[], texts: [] as string[], values: [] as unknown[], unterminated: [] as number[] });
  let batch = newBatch();
  let batchChars = 0;
  let format: InputFormat | undefined;
  let header: string[] | undefined;
  let mapping: Mapping | undefined;
  let lastLine = 0;

  /** The columns found for the file, said once. */
  const detect = (keys: string[]): Mapping => {
    const found = detectMapping(keys, options.mapping);
    // (JSON with no object in its first batch has no keys to judge by: its rows say what is wrong.)
    const problem = header !== undefined || keys.length > 0 ? mappingProblem(keys, found, options.mapping, header !== undefined ? 'header' : 'keys') : undefined;
    if (problem !== undefined) throw new MappingError(`${file.file}: ${problem}`);
    if (options.ids?.length) {
      const absent = header !== undefined ? options.ids.find((c) => !header!.includes(c)) : undefined;
      if (absent !== undefined) throw new MappingError(`${file.file}: --id ${absent}: no such column (the header has: ${header!.join(', ')})`);
      found.ids = options.ids;
    }
    file.columns = found.columns;
    options.note(`${file.file}: ${format}, ${file.encoding}${file.gzip ? ', gzip' : ''}; ${describeMapping(found)}`);
    return found;
  };

  const flush = async () => {
    if (batch.lines.length === 0) return;
    mapping ??= detect(header ?? keysOf(format!, batch));
    await submit(file, { format: format!, header, mapping, ...batch });
    batch = newBatch();
    batchChars = 0;
  };

  try {
    const live = options.live === true;
    const input = await sampleInput(source.bytes(), options.encoding, live);
    file.encoding = input.detected.encoding;
    file.gzip = source.gzip;
    const encoding = input.detected.encoding;
    format =
      options.inputFormat ??
      formatFromName(innerName(source.name === STDIN_NAME ? '' : source.name)) ??
      sniffFormat(decodeBytes(input.sample, encoding));
    file.format = format;
    if (options.columns && format !== 'csv' && format !== 'tsv') options.note(`${file.file}: --columns names the columns of CSV/TSV without a header line; ${format} has its own keys, so it is not used here`);
    if (format === 'csv' || format === 'tsv') {
      // CSV/TSV records are framed in the bytes; the workers decode them. Other encodings than the
      // line-splittable ones (UTF-16) are decoded here and framed as UTF-8: one framing for all.
      const splittable = isLineSplittable(encoding);
      const bytes = splittable ? input.bytes : utf8Chunks(decodeChunks(input.bytes, encoding));
      const blockEncoding = splittable ? encoding : 'utf-8';
      for await (let block of csvBlocks(bytes, format === 'tsv' ? '\t' : ',', options.batchSize, BATCH_CHARS, live)) {
        lastLine = block.line[block.line.length - 1]!;
        if (header === undefined) {
          const first = parseHeader(recordText({ ...block, encoding: blockEncoding }, 0), format);
          // --columns: the input has no header line, its first record is a row (unless it is that very header).
          header = options.columns ? [...options.columns] : first;
          mapping = detect(header);
          if (!options.columns || sameFields(first, header)) {
            block = { ...block, start: block.start.subarray(1), end: block.end.subarray(1), line: block.line.subarray(1), unterminated: block.unterminated.subarray(1) };
            if (block.start.length === 0) continue;
          }
        }
        await submit(file, { format, header, mapping: mapping!, ...newBatch(), block: { ...block, encoding: blockEncoding, lossy: !splittable } });
      }
      return;
    }
    if (format === 'jsonl' && isLineSplittable(encoding)) {
      // JSON lines go to the workers undecoded: the main thread only finds the line feeds.
      for await (const block of jsonlBlocks(input.bytes, options.batchSize, BATCH_CHARS, live)) {
        lastLine = block.first + block.count - 1;
        mapping ??= detect(keysOf('jsonl', { ...decodeBlock({ ...block, encoding }), values: [] }));
        await submit(file, { format, mapping, ...newBatch(), block: { ...block, encoding } });
      }
      return;
    }
    for await (const records of framedRecords(format, decodeChunks(input.bytes, encoding))) {
      for (const record of records) {
        lastLine = record.line;
        if (record.error !== undefined) {
          // A JSON array item that does not parse: an error row in its place, the items around it read.
          await flush();
          await fail(file, { line: record.line, status: 'error', code: 'invalid-json', reason: record.error });
          continue;
        }
        batch.lines.push(record.line);
        if (record.text !== undefined) batch.texts.push(record.text);
        else batch.values.push(record.value);
        batchChars += record.text?.length ?? 256;
        if (batch.lines.length >= options.batchSize || batchChars >= BATCH_CHARS) await flush();
      }
      if (live) await flush();
    }
    await flush();
  } catch (e) {
    if (!(e instanceof SourceError || e instanceof JsonArrayError)) throw e;
    await flush();
    const line = e instanceof JsonArrayError ? e.item : lastLine + 1;
    const code = e instanceof SourceError ? e.code : 'invalid-json';
    options.note(`${file.file}: ${e.message}`);
    await fail(file, { line, status: 'error', code, reason: e.message });
  }
}

const sameFields = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x.trim() === b[i]!.trim());

function parseHeader(text: string, format: 'csv' | 'tsv'): string[] {
  try {
    const rows = parseCsv(text, { delimiter: format === 'tsv' ? '\t' : ',', relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    // A header with broken quotes: take it apart at the delimiters, quotes and all.
    return text.split(format === 'tsv' ? '\t' : ',');
  }
}
