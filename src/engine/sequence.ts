// Matching `sequence` rules (syntax in src/rules/sequence.ts) over a sentence's tagged words.
// Backtracking over a handful of tokens: sentences are short, patterns shorter.
import type { SeqElement, SequencePattern } from '../rules/sequence.js';
import type { TaggedToken } from '../segment/index.js';

/**
 * A time expression as jieba splits it: 明天 / 明天 下午 / 24 小时 内 / 周五 前 / 3 个 工作日 之前. Not jieba's
 * own `t` tag, which also covers 现在, 目前, 正在 (write <t> for that).
 */
const DAY = '今天|明天|后天|今日|明日|次日|隔天|当天|当日|今晚|明晚|今早|明早|周末|月底|月初|月中|年底|年初|(?:本|下|这)?(?:周|星期|礼拜)[一二三四五六日天]';
const PART_OF_DAY = '上午|下午|中午|晚上|早上|凌晨|傍晚|白天';
const AMOUNT = '(?:[0-9]+(?:\\.[0-9]+)?|[一二三四五六七八九十两几半]+)个?(?:小时|钟头|分钟|天|日|工作日|周|星期|礼拜|个月|月|号|点钟|点)半?';
const TIME_RUN = new RegExp(`^(?=.)(?:${DAY})?(?:${PART_OF_DAY})?(?:${AMOUNT})?(?<=[^内前后右])(?:内|之内|以内|前|之前|以前|左右|后|之后)?$`);
const MAX_TIME_TOKENS = 5;

export interface SequenceMatch {
  /** Token indexes [from, to) of the whole match. */
  from: number;
  to: number;
  /** Token indexes of the part to flag ({ … }), or the whole match. */
  markFrom: number;
  markTo: number;
}

function tokenMatches(e: Extract<SeqElement, { type: 'token' }>, t: TaggedToken): boolean {
  if (e.words && !e.words.includes(t.word)) return false;
  if (e.regex && !e.regex.test(t.word)) return false;
  if (e.tags && !e.tags.some((tag) => t.tag.startsWith(tag))) return false;
  return true;
}

/** How many tokens a time expression starting at `i` spans (longest first), or none. */
function timeSpans(tokens: readonly TaggedToken[], i: number): number[] {
  const out: number[] = [];
  let text = '';
  for (let n = 1; n <= MAX_TIME_TOKENS && i + n <= tokens.length; n++) {
    text += tokens[i + n - 1]!.word;
    if (TIME_RUN.test(text)) out.push(n);
  }
  return out.reverse();
}

interface State {
  markFrom: number;
  markTo: number;
}

/**
 * Match `items[k..]` at token `i`; call `done(end)` for each way it can match, in preference order,
 * until one returns true. Optional elements are tried present first; gaps shortest first.
 */
function matchAt(items: readonly SeqElement[], k: number, tokens: readonly TaggedToken[], i: number, state: State, done: (end: number) => boolean): boolean {
  if (k === items.length) return done(i);
  const e = items[k]!;
  const next = (j: number) => matchAt(items, k + 1, tokens, j, state, done);
  switch (e.type) {
    case 'mark': {
      const saved = e.edge === 'start' ? state.markFrom : state.markTo;
      if (e.edge === 'start') state.markFrom = i;
      else state.markTo = i;
      if (next(i)) return true;
      if (e.edge === 'start') state.markFrom = saved;
      else state.markTo = saved;
      return false;
    }
    case 'gap':
      for (let j = i; j <= tokens.length; j++) if (next(j)) return true;
      return false;
    case 'token':
      if (i < tokens.length && tokenMatches(e, tokens[i]!) && next(i + 1)) return true;
      return e.optional && next(i);
    case 'time':
      for (const n of timeSpans(tokens, i)) if (next(i + n)) return true;
      return e.optional && next(i);
    case 'group':
      if (matchAt(e.items, 0, tokens, i, state, next)) return true;
      return e.optional && next(i);
  }
}

/** Non-overlapping matches of `pattern` in a sentence's tokens (whitespace tokens already removed). */
export function matchSequence(pattern: SequencePattern, tokens: readonly TaggedToken[]): SequenceMatch[] {
  const out: SequenceMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    const state: State = { markFrom: -1, markTo: -1 };
    let found: SequenceMatch | undefined;
    matchAt(pattern.items, 0, tokens, i, state, (end) => {
      // An empty match (everything optional and absent) flags nothing.
      if (end === i) return false;
      found = { from: i, to: end, markFrom: state.markFrom < 0 ? i : state.markFrom, markTo: state.markTo < 0 ? end : state.markTo };
      return true;
    });
    if (found && found.markTo > found.markFrom) {
      out.push(found);
      i = found.to;
    } else i++;
  }
  return out;
}
