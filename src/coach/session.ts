// The coach as a state machine, independent of any terminal: a draft, the queue of findings still to
// look at, and the steps taken (apply an alternative, edit a sentence by hand, skip, ignore a rule), each
// undoable. After every change the draft is linted again, so fixed findings leave the queue and findings
// a change brings in join it.
import type { Finding, Suggestion } from '../engine/findings.js';
import { applyEdit, editFor, sentenceSpan, type Edit } from '../edits/apply.js';
import type { TextNodes } from './textnode.js';

export type Lint = (text: string) => Finding[];

/** What a Lint throws for a text its reader cannot read (JSON or YAML that no longer parses). */
export class UnreadableDraftError extends Error {
  override name = 'UnreadableDraftError';
}

/** A change the coach will not make: it would write outside the sentence's text node, or lose a placeholder. */
export class RefusedChangeError extends Error {
  override name = 'RefusedChangeError';
}

/** Findings of `ruleId` inside [start, end) are passed over: skipped ones, and a rule's own suggestion. */
interface PassOver {
  ruleId: string;
  start: number;
  end: number;
}

interface State {
  readonly text: string;
  readonly passOver: readonly PassOver[];
  readonly ignored: readonly string[];
}

export type Step =
  | { kind: 'apply'; finding: Finding; suggestion: Suggestion; edit: Edit }
  | { kind: 'edit'; finding: Finding; edit: Edit }
  | { kind: 'skip'; finding: Finding }
  | { kind: 'ignore'; ruleId: string };

/** What a change did to the draft's findings. */
export interface ChangeReport {
  step: Step;
  /** Findings still to look at, before and after. */
  before: number;
  after: number;
  /** Findings in the new text that touch the changed characters: problems the change brought in. */
  introduced: Finding[];
}

const inside = (f: Finding, r: PassOver) => f.ruleId === r.ruleId && f.offset >= r.start && f.offset + f.length <= r.end;

/** Where a range lands after `edit`; undefined when the edit rewrote part of it. */
function shift(r: PassOver, edit: Edit): PassOver | undefined {
  if (r.end <= edit.start) return r;
  const delta = edit.text.length - (edit.end - edit.start);
  if (r.start >= edit.end) return { ...r, start: r.start + delta, end: r.end + delta };
  return undefined;
}

export class CoachSession {
  private state: State;
  private readonly history: { state: State; step: Step }[] = [];
  private readonly lintCache = new Map<string, Finding[]>();

  constructor(
    readonly original: string,
    private readonly lint: Lint,
    /** Where in the file a sentence may be rewritten (coach/textnode.ts); plain text without it. */
    private readonly nodes?: TextNodes,
  ) {
    this.state = { text: original, passOver: [], ignored: [] };
  }

  get text(): string {
    return this.state.text;
  }

  get changed(): boolean {
    return this.state.text !== this.original;
  }

  get ignoredRules(): readonly string[] {
    return this.state.ignored;
  }

  /** Every finding in the current text, rules ignored for the session left out. */
  get findings(): Finding[] {
    const ignored = new Set(this.state.ignored);
    return this.lintOf(this.state.text).filter((f) => !ignored.has(f.ruleId));
  }

  /** The findings still to look at, in text order. */
  get queue(): Finding[] {
    return this.findings.filter((f) => !this.state.passOver.some((r) => inside(f, r)));
  }

  /** The finding to look at now; undefined when the walk is over. */
  get current(): Finding | undefined {
    return this.queue[0];
  }

  get done(): boolean {
    return this.current === undefined;
  }

  get canUndo(): boolean {
    return this.history.length > 0;
  }

  /** The last step, the one `undo` takes back. */
  get lastStep(): Step | undefined {
    return this.history.at(-1)?.step;
  }

  /** The sentence the current finding is in, with its closing punctuation: what "edit by hand" edits. */
  currentSentence(): { start: number; end: number; text: string } | undefined {
    const f = this.current;
    if (!f) return undefined;
    const found = this.nodes?.sentence(this.text, f);
    const span = found === undefined || typeof found === 'string' ? sentenceSpan(this.text, f.offset, f.length) : found;
    return { start: span.start, end: span.end, text: this.text.slice(span.start, span.end) };
  }

  /**
   * Apply alternative `index` (0-based) of the current finding; `filled` is its text with the slots the
   * agent filled in (a rewrite with slots is never applied as it is).
   */
  apply(index = 0, filled?: string): ChangeReport {
    const finding = this.requireCurrent();
    const offered = finding.suggestions[index];
    if (!offered) throw new RangeError(`no alternative ${index + 1} for ${finding.ruleId} (it has ${finding.suggestions.length})`);
    if (offered.slots?.length && filled === undefined) throw new RefusedChangeError(`fill ${offered.slots.join(', ')} first`);
    const suggestion = filled === undefined ? offered : { ...offered, text: filled };
    const made = this.nodes ? this.nodes.edit(this.text, finding, suggestion) : editFor(this.text, finding, suggestion);
    if (typeof made === 'string') throw new RefusedChangeError(made);
    const edit = made;
    // The rule's own wording is not flagged again by the same rule where it was put.
    const own: PassOver = { ruleId: finding.ruleId, start: edit.start, end: edit.start + edit.text.length };
    return this.change({ kind: 'apply', finding, suggestion, edit }, edit, [own]);
  }

  /** Replace the current finding's sentence with the agent's own wording. */
  editSentence(sentence: string): ChangeReport {
    const finding = this.requireCurrent();
    const span = this.currentSentence()!;
    const edit: Edit = { start: span.start, end: span.end, text: sentence };
    return this.change({ kind: 'edit', finding, edit }, edit, []);
  }

  /** Leave the current finding as it is and go on. */
  skip(): Step {
    const finding = this.requireCurrent();
    const step: Step = { kind: 'skip', finding };
    this.push(step, {
      ...this.state,
      passOver: [...this.state.passOver, { ruleId: finding.ruleId, start: finding.offset, end: finding.offset + finding.length }],
    });
    return step;
  }

  /** Pass over every finding of the current finding's rule for the rest of the session. */
  ignoreRule(ruleId = this.requireCurrent().ruleId): Step {
    const step: Step = { kind: 'ignore', ruleId };
    this.push(step, { ...this.state, ignored: [...this.state.ignored, ruleId] });
    return step;
  }

  /** Take back the last step (text, skip or ignore). Returns it, or undefined when there is none. */
  undo(): Step | undefined {
    const last = this.history.pop();
    if (!last) return undefined;
    this.state = last.state;
    return last.step;
  }

  private requireCurrent(): Finding {
    const f = this.current;
    if (!f) throw new Error('no finding left to act on');
    return f;
  }

  private push(step: Step, next: State): void {
    this.history.push({ state: this.state, step });
    this.state = next;
  }

  private change(step: Step, edit: Edit, extra: PassOver[]): ChangeReport {
    const before = this.queue.length;
    const passOver = this.state.passOver.map((r) => shift(r, edit)).filter((r): r is PassOver => r !== undefined);
    this.push(step, { ...this.state, text: applyEdit(this.text, edit), passOver: [...passOver, ...extra] });
    let queue: Finding[];
    try {
      queue = this.queue;
    } catch (e) {
      // A change that leaves the draft unreadable is not made.
      this.undo();
      throw e;
    }
    const end = edit.start + edit.text.length;
    const introduced = queue.filter((f) => f.offset < Math.max(end, edit.start + 1) && f.offset + f.length > edit.start);
    return { step, before, after: queue.length, introduced };
  }

  private lintOf(text: string): Finding[] {
    let findings = this.lintCache.get(text);
    if (!findings) {
      findings = this.lint(text);
      this.lintCache.set(text, findings);
    }
    return findings;
  }
}
