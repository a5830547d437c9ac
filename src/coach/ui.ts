// The coach in a terminal: a thin layer over CoachSession. Each finding is shown as a card (the sentence
// with the span underlined, the message, why with its citation, the alternatives), one question is asked,
// the answer becomes one session step. Enter always takes the default: the first alternative, and at the
// end, save. The prompt functions are passed in, so tests can drive the same loop without a terminal.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Suggestion } from '../engine/findings.js';
import { draftDiff } from '../formatters/diff.js';
import { LINE_CELLS, underline } from '../formatters/stylish.js';
import { renderInScript } from '../normalize/render.js';
import type { RuleSpec } from '../rules/types.js';
import { RefusedChangeError, UnreadableDraftError, type CoachSession, type ChangeReport, type Step } from './session.js';
import { citeText } from '../explain/sources.js';

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
  disabled?: boolean | string;
}

/** The two questions the coach asks; @inquirer/prompts' select and input fit. */
export interface CoachPrompts {
  /** `numbered`: the first choices are numbered 1, 2, …; the digit key takes that choice at once. */
  select<T>(config: { message: string; choices: Choice<T>[]; default?: T; pageSize?: number; loop?: boolean; numbered?: number }): Promise<T>;
  input(config: { message: string; default?: string; prefill?: 'tab' | 'editable'; required?: boolean }): Promise<string>;
}

export type Action = { kind: 'apply'; index: number } | { kind: 'edit' } | { kind: 'skip' } | { kind: 'ignore' } | { kind: 'undo' } | { kind: 'quit' };

export type Ending = 'save' | 'print' | 'copy' | 'discard';

export interface CoachUiOptions {
  prompts: CoachPrompts;
  /** Where cards, reports and the diff go. */
  write: (s: string) => void;
  color: boolean;
  /** Rule specs by id, for the "why" quote. */
  rules: ReadonlyMap<string, RuleSpec>;
  /** Endings offered at the end, the first one the default. */
  endings: readonly Ending[];
  /** Name of the draft in messages: a file path, or "the draft". */
  name: string;
  /** Label of the save ending (default: "save"). */
  saveLabel?: string;
  /** The terminal's width in cells, read at each card (it can be resized); unknown: lines up to 100 cells. */
  columns?: () => number | undefined;
}

/** Narrowest quoted line: below it, the line wraps rather than keep too little around the span. */
const MIN_CELLS = 20;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
const shorten = (s: string, max = 60) => (Array.from(s).length > max ? Array.from(s).slice(0, max - 1).join('') + '…' : s);

function severityColor(c: ChalkInstance, f: Finding): ChalkInstance {
  return f.severity === 'error' ? c.red : f.severity === 'warning' ? c.yellow : c.blue;
}

/** The card for one finding: where, what, why. */
export function renderCard(session: CoachSession, f: Finding, options: Pick<CoachUiOptions, 'color' | 'rules' | 'columns'>): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const color = severityColor(c, f);
  const sentence = session.currentSentence()!;
  // The quoted line must not wrap, or the carets below it miss the span: a wrapped line moves a wide
  // character that does not fit at the right edge to the next row. Room: the 2-cell indent and one spare
  // cell (some terminals wrap on writing the last column).
  const columns = options.columns?.();
  const width = columns ? Math.max(MIN_CELLS, Math.min(LINE_CELLS, columns - 3)) : LINE_CELLS;
  const u = underline(sentence.text, f.offset - sentence.start, f.length, width);
  const lines = [
    '',
    c.bold(`[${session.queue.length} left] `) + `${color(f.severity)}  ${c.dim(f.ruleId)}  ${c.dim(`line ${f.line}:${f.column}`)}`,
    `  ${u.line}`,
    `  ${color(u.carets)}`,
    `  ${clean(f.message)}`,
  ];
  const why = options.rules.get(f.ruleId)?.why;
  if (why) {
    lines.push(`  ${c.cyan('why')} 「${clean(renderInScript(why.quote, f.script))}」`);
    lines.push(`      ${c.dim(`— ${citeText(why.source)}`)}`);
  }
  return lines.join('\n') + '\n';
}

function alternativeChoice(f: Finding, s: Suggestion, index: number): Choice<Action> {
  const what = s.kind === 'replace' ? (s.text === '' ? `delete 「${f.excerpt}」` : `replace 「${f.excerpt}」${s.safe ? ', safe' : ''}`) : s.slots?.length ? `rewrite the sentence; you fill ${s.slots.join(' ')}` : 'rewrite the sentence';
  const source = s.source ? ` — ${citeText(s.source)}` : '';
  return {
    value: { kind: 'apply', index },
    name: `${index + 1}. ${shorten(clean(s.text))}  (${what})`,
    description: `${clean(s.text)}${source}`,
  };
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'apply':
      return step.suggestion.kind === 'replace' ? `「${step.finding.excerpt}」 → 「${step.suggestion.text}」` : `rewrite → 「${shorten(step.suggestion.text, 30)}」`;
    case 'edit':
      return `edit → 「${shorten(step.edit.text, 30)}」`;
    case 'skip':
      return `skip ${step.finding.ruleId} 「${step.finding.excerpt}」`;
    case 'ignore':
      return `ignore ${step.ruleId}`;
  }
}

export function actionChoices(session: CoachSession, f: Finding): Choice<Action>[] {
  const choices = f.suggestions.map((s, i) => alternativeChoice(f, s, i));
  choices.push(
    { value: { kind: 'edit' }, name: 'edit the sentence by hand' },
    { value: { kind: 'skip' }, name: 'skip (leave it as it is)' },
    { value: { kind: 'ignore' }, name: `ignore ${f.ruleId} for the rest of this session` },
  );
  const last = session.lastStep;
  if (last) choices.push({ value: { kind: 'undo' }, name: `undo: ${describeStep(last)}` });
  choices.push({ value: { kind: 'quit' }, name: 'stop here (then review, save or discard)' });
  return choices;
}

function reportChange(r: ChangeReport, c: ChalkInstance): string {
  const lines = [`${c.green('✔')} ${describeStep(r.step)}  ${c.dim(`${r.before} → ${plural(r.after, 'problem', 'problems')} left`)}`];
  for (const f of r.introduced) lines.push(`  ${c.yellow('new:')} ${f.ruleId} 「${f.excerpt}」 (line ${f.line}:${f.column})`);
  return lines.join('\n') + '\n';
}

/** The report of a change, or why it was not made: it would leave a JSON or YAML draft unreadable. */
function unlessUnreadable(change: () => string, c: ChalkInstance): string {
  try {
    return change();
  } catch (e) {
    if (e instanceof RefusedChangeError) return `${c.red('✘')} not changed: ${clean(e.message)}\n`;
    if (!(e instanceof UnreadableDraftError)) throw e;
    return `${c.red('✘')} not changed: the file would no longer read (${clean(e.message)})\n`;
  }
}

/**
 * What Enter takes: a replacement that fits and is marked safe; otherwise skip, which keeps the draft as
 * the agent wrote it (an agent pressing Enter through the coach never writes a sentence it did not read).
 */
export function defaultAction(f: Finding, choices: readonly Choice<Action>[]): Action {
  const safe = f.suggestions.findIndex((s) => s.kind === 'replace' && s.safe === true);
  if (safe >= 0) return choices.find((c) => c.value.kind === 'apply' && c.value.index === safe)!.value;
  return choices.find((c) => c.value.kind === 'skip')!.value;
}

/** Walk the findings until none is left or the agent stops. */
export async function walk(session: CoachSession, options: CoachUiOptions): Promise<void> {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const total0 = session.queue.length;
  options.write(total0 === 0 ? `${c.green('✔')} no problems in ${options.name}\n` : `${plural(total0, 'problem', 'problems')} in ${options.name}\n`);
  for (;;) {
    const f = session.current;
    if (!f) break;
    options.write(renderCard(session, f, options));
    const choices = actionChoices(session, f);
    const numbered = Math.min(9, f.suggestions.length);
    const action = await options.prompts.select<Action>({ message: 'What now?', choices, default: defaultAction(f, choices), pageSize: 12, loop: false, numbered });
    switch (action.kind) {
      case 'apply': {
        const chosen = f.suggestions[action.index]!;
        let filled: string | undefined;
        // a rewrite with slots: the agent fills each before it is applied
        for (const slot of chosen.slots ?? []) {
          const value = await options.prompts.input({ message: `Fill ${slot}:`, required: true });
          filled = (filled ?? chosen.text).replace(slot, value);
        }
        options.write(unlessUnreadable(() => reportChange(session.apply(action.index, filled), c), c));
        break;
      }
      case 'edit': {
        const sentence = session.currentSentence()!;
        const text = await options.prompts.input({ message: 'Your sentence:', default: sentence.text, prefill: 'editable' });
        if (text === sentence.text) options.write(c.dim('  (unchanged)\n'));
        else options.write(unlessUnreadable(() => reportChange(session.editSentence(text), c), c));
        break;
      }
      case 'skip':
        session.skip();
        break;
      case 'ignore':
        session.ignoreRule();
        options.write(c.dim(`  ${f.ruleId} ignored for this session\n`));
        break;
      case 'undo': {
        const step = session.undo();
        if (step) options.write(`${c.yellow('↶')} undone: ${describeStep(step)}  ${c.dim(`${plural(session.queue.length, 'problem', 'problems')} left`)}\n`);
        break;
      }
      case 'quit':
        return;
    }
  }
}

const ENDING_NAMES: Record<Ending, string> = {
  save: 'save',
  print: 'print the draft',
  copy: 'copy to the clipboard',
  discard: 'discard the changes',
};

/** Show what changed and ask what to do with it. undefined: nothing changed. */
export async function finish(session: CoachSession, options: CoachUiOptions): Promise<Ending | undefined> {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const left = session.findings.length;
  if (!session.changed) {
    options.write(`\nNo changes to ${options.name}.${left ? ` ${plural(left, 'problem', 'problems')} left.` : ''}\n`);
    return undefined;
  }
  options.write(`\n${c.bold('Your draft now:')}\n${draftDiff(session.original, session.text, { color: options.color })}`);
  options.write(left ? c.yellow(`${plural(left, 'problem', 'problems')} left (skipped or ignored)\n`) : c.green('✔ no problems left\n'));
  const choices = options.endings.map((e) => ({ value: e, name: e === 'save' ? (options.saveLabel ?? ENDING_NAMES.save) : ENDING_NAMES[e] }));
  return options.prompts.select<Ending>({ message: 'Done. What now?', choices, default: choices[0]!.value, loop: false });
}
