// `huashu audit merge`: result lines of split runs (`audit --stdin --format jsonl`, one file per part, as
// Spark's RDD.pipe or Hadoop Streaming write them) fed back through the very aggregator a single run
// uses, in the order given: the same summary, report and examples as one run over the whole input.
// Result lines carry every field the aggregator reads (outputs.ts resultLine), the first line of each
// input says how it was read (`input`), and rows numbered per part are renumbered here.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Aggregator, type AuditSummary, type Example, type FileSummary } from './aggregate.js';
import type { InputInfo } from './outputs.js';
import type { AuditFinding, ErrorCode, SkipCode } from './records.js';
import type { Suppressions } from './review.js';
import type { ScoringModel } from './scoring.js';

/** Result lines that cannot be merged: the message names the file and line. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** A result line as `audit --format jsonl` writes it (the fields merge reads). */
interface ResultLine {
  file: string;
  part?: string;
  offset?: number;
  row: number;
  status: 'audited' | 'skipped' | 'error';
  code?: string;
  role?: string;
  conversation?: string;
  input?: InputInfo;
  findings?: ResultFinding[];
  suppressed?: ResultFinding[];
  [field: string]: unknown;
}

interface ResultFinding {
  rule: string;
  category: string;
  severity: AuditFinding['severity'];
  message: string;
  excerpt: string;
  before?: string;
  after?: string;
  suggestion?: string;
  [field: string]: unknown;
}

export interface MergeOutcome {
  summary: AuditSummary;
  examples: Map<string, Example[]>;
  /** Parts read, in order. */
  parts: number;
}

const STATUSES = new Set(['audited', 'skipped', 'error']);

/** A result line's finding as the aggregator takes it (an AuditFinding, as a run hands it over). */
const toFinding = (f: ResultFinding): AuditFinding =>
  ({ ...f, ruleId: f.rule, before: f.before ?? '', after: f.after ?? '', suggestions: f.suggestion === undefined ? [] : [{ text: f.suggestion }] }) as unknown as AuditFinding;

export async function mergeResults(paths: readonly string[], options: { note(message: string): void; suppressions?: Suppressions; scoring?: ScoringModel }): Promise<MergeOutcome> {
  // The same scoring model as the single run (the config's audit.scoring), so the scores match too.
  const agg = new Aggregator(options.scoring);
  const files = new Map<string, FileSummary>();
  /** Per input file: the part being read, its rows before it (renumbering), its last row and conversation. */
  const state = new Map<string, { part: string; base: number; last: number; conversation?: string }>();
  let parts = 0;
  const split: string[] = [];

  for (const path of paths) {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const text of lines) {
        n++;
        if (text.trim() === '') continue;
        const at = `${path}:${n}`;
        let r: ResultLine;
        try {
          r = JSON.parse(text) as ResultLine;
        } catch (e) {
          throw new MergeError(`${at}: invalid JSON (${(e as Error).message})`);
        }
        if (typeof r !== 'object' || r === null || typeof r.file !== 'string' || typeof r.row !== 'number' || !STATUSES.has(r.status)) {
          throw new MergeError(`${at}: not a result line of huashu audit --format jsonl (it needs file, row and status)`);
        }
        let file = files.get(r.file);
        if (!file) {
          file = { file: r.file, rows: 0, audited: 0, skipped: 0, errors: 0 };
          files.set(r.file, file);
          agg.files.push(file);
        }
        if (r.input && file.format === undefined) Object.assign(file, r.input);
        // A part is a --part name, or else the results file itself.
        const part = r.part ?? path;
        let s = state.get(r.file);
        if (!s || s.part !== part) {
          parts++;
          const base = s ? s.base + s.last : 0;
          if (s && s.conversation !== undefined && s.conversation === r.conversation) split.push(`'${s.conversation}' (${s.part} | ${part})`);
          s = { part, base, last: 0 };
          state.set(r.file, s);
        }
        // Rows numbered within the part become the input's (with --offset they already are).
        const row = r.offset === undefined ? s.base + r.row : r.row;
        s.last = r.offset === undefined ? r.row : r.row - s.base;
        if (r.status !== 'error' && r.code !== 'blank') s.conversation = r.conversation;
        if (r.status === 'error') agg.addError(file, r.code as ErrorCode);
        else if (r.status === 'skipped') agg.addSkipped(file, r.code as SkipCode, r.role);
        else {
          agg.addAudited(file, { ...r, row } as unknown as Parameters<Aggregator['addAudited']>[1], (r.findings ?? []).map(toFinding));
          if (options.suppressions) for (const f of r.suppressed ?? []) options.suppressions.count(f.rule);
        }
      }
    } catch (e) {
      if (e instanceof MergeError) throw e;
      throw new MergeError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (split.length > 0) {
    options.note(
      `${split.length} conversation${split.length === 1 ? ' runs' : 's run'} across two parts: ${split.slice(0, 3).join(', ')}${split.length > 3 ? ', …' : ''}. ` +
        'The first rows of each in the later part were audited without the turns before them (the customer turn, counted turn numbers, ' +
        "the agent's own message before): cut parts at conversation boundaries for a merge identical to a single run",
    );
  }
  return { summary: agg.summary(), examples: agg.examples, parts };
}
