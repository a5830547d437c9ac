// The `sequence` rule syntax (docs/rules.md): token patterns over jieba's tagged words.
//
//   [一定|肯定|保证] (会|能)? <v> … <time>
//
//   word, a|b, [a|b]   a token that is exactly one of these words (normalized: write either script)
//   <v>, <v|a>         a token whose part-of-speech tag starts with one of these (jieba/ICTCLAS tags)
//   word<v>            both: the word, tagged so
//   /re/               a token the regular expression matches in full
//   <time>             a time expression over one or more tokens: 明天, 24小时内, 周五前, 3个工作日
//   <any>              any one token
//   x?                 an optional element; ( … )? an optional group
//   … or ...           a gap: any number of tokens, in the same sentence (the shortest is taken)
//   { … }              the part to flag (default: the whole match)
//
// Pure: parsing here, matching in src/engine/sequence.ts.
import { withHanRanges } from '../normalize/han.js';

export type SeqElement =
  | { type: 'token'; words?: string[]; tags?: string[]; regex?: RegExp; optional: boolean }
  | { type: 'time'; optional: boolean }
  | { type: 'gap' }
  | { type: 'group'; items: SeqElement[]; optional: boolean }
  | { type: 'mark'; edge: 'start' | 'end' };

export interface SequencePattern {
  source: string;
  items: SeqElement[];
  /** Words one of which every match contains, per required literal element: a cheap pre-filter. */
  anchors: string[][];
  /** The /…/ elements as written (before `canonical`), with the index of each in `source`. */
  regexes: { source: string; index: number }[];
}

export class SequenceSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based index into the pattern text. */
    readonly index: number,
  ) {
    super(message);
  }
}

const LEXEME = /\s*(\.\.\.|…|\(|\)\??|\{|\}|\/(?:\\.|[^/\\])+\/(?:<[^>\s]*>)?\??|[^\s(){}…]+)/gy;
const TAG = /^[a-z]+$/;

function parseTags(inner: string, at: number): string[] {
  const tags = inner.split('|');
  for (const t of tags) if (!TAG.test(t)) throw new SequenceSyntaxError(`'<${inner}>': a tag is lower-case letters such as v, n, d, t (jieba part-of-speech tags)`, at);
  return tags;
}

/** One atom: word alternatives, tags, a regex, or a class, with an optional `?`. */
function parseAtom(text: string, at: number, canonical: (s: string) => string): SeqElement {
  let optional = false;
  let body = text;
  if (body.length > 1 && body.endsWith('?')) {
    optional = true;
    body = body.slice(0, -1);
  }
  if (body === '<time>') return { type: 'time', optional };
  if (body === '<any>') return { type: 'token', optional };
  let tags: string[] | undefined;
  const tagged = /^(.*?)<([^<>]*)>$/.exec(body);
  if (tagged) {
    tags = parseTags(tagged[2]!, at);
    body = tagged[1]!;
  }
  if (body.startsWith('/')) {
    if (body.length < 3 || !body.endsWith('/')) throw new SequenceSyntaxError(`'${text}': a regular expression is written /…/`, at);
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${withHanRanges(canonical(body.slice(1, -1)))})$`, 'u');
    } catch (e) {
      throw new SequenceSyntaxError(`invalid regular expression ${body}: ${(e as Error).message}`, at);
    }
    return { type: 'token', regex, tags, optional };
  }
  if (body.startsWith('[') !== body.endsWith(']')) throw new SequenceSyntaxError(`'${text}': unbalanced [ ]`, at);
  if (body.startsWith('[')) body = body.slice(1, -1);
  if (body === '') {
    if (!tags) throw new SequenceSyntaxError(`'${text}': empty element`, at);
    return { type: 'token', tags, optional };
  }
  if (/[<>[\]]/.test(body)) throw new SequenceSyntaxError(`'${text}': write a tag as word<tag> or <tag>, alternatives as a|b or [a|b]`, at);
  const words = body.split('|').map(canonical);
  if (words.some((w) => w === '')) throw new SequenceSyntaxError(`'${text}': empty alternative`, at);
  return { type: 'token', words, tags, optional };
}

export function parseSequence(source: string, canonical: (s: string) => string): SequencePattern {
  const stack: { items: SeqElement[]; at: number }[] = [{ items: [], at: 0 }];
  const regexes: SequencePattern['regexes'] = [];
  let marks = 0;
  let pos = 0;
  while (source.slice(pos).trim() !== '') {
    LEXEME.lastIndex = pos;
    const m = LEXEME.exec(source);
    if (!m) throw new SequenceSyntaxError('unexpected character', pos + (source.slice(pos).length - source.slice(pos).trimStart().length));
    pos = LEXEME.lastIndex;
    const lexeme = m[1]!;
    const at = m.index + m[0].length - lexeme.length;
    const top = stack[stack.length - 1]!;
    if (lexeme === '(') stack.push({ items: [], at });
    else if (lexeme === ')' || lexeme === ')?') {
      if (stack.length === 1) throw new SequenceSyntaxError("')' without '('", at);
      const group = stack.pop()!;
      if (group.items.length === 0) throw new SequenceSyntaxError('empty group ( )', group.at);
      stack[stack.length - 1]!.items.push({ type: 'group', items: group.items, optional: lexeme === ')?' });
    } else if (lexeme === '…' || lexeme === '...') top.items.push({ type: 'gap' });
    else if (lexeme === '{' || lexeme === '}') {
      if (stack.length > 1) throw new SequenceSyntaxError('{ } cannot be inside ( )', at);
      if ((lexeme === '{') !== (marks === 0)) throw new SequenceSyntaxError(marks === 0 ? "'}' without '{'" : 'only one { } per sequence', at);
      marks++;
      top.items.push({ type: 'mark', edge: lexeme === '{' ? 'start' : 'end' });
    } else {
      const atom = parseAtom(lexeme, at, canonical);
      if (atom.type === 'token' && atom.regex) regexes.push({ source: lexeme.slice(1, lexeme.lastIndexOf('/')), index: at + 1 });
      top.items.push(atom);
    }
  }
  if (stack.length > 1) throw new SequenceSyntaxError("'(' without ')'", stack[stack.length - 1]!.at);
  if (marks === 1) throw new SequenceSyntaxError("'{' without '}'", source.indexOf('{'));
  const items = stack[0]!.items;
  const solid = items.filter((e) => e.type !== 'mark' && e.type !== 'gap' && !('optional' in e && e.optional));
  if (solid.length === 0) throw new SequenceSyntaxError('a sequence needs at least one element that is not optional', 0);
  if (items[0]?.type === 'gap' || items[items.length - 1]?.type === 'gap') throw new SequenceSyntaxError('a sequence cannot start or end with a gap', 0);
  const anchors = items.flatMap((e) => (e.type === 'token' && !e.optional && e.words ? [e.words] : []));
  return { source, items, anchors, regexes };
}

/** Every literal word of a pattern, for the segmenter's dictionary (so that they stay one token). */
export function sequenceWords(pattern: SequencePattern): string[] {
  const out: string[] = [];
  const visit = (items: SeqElement[]) => {
    for (const e of items) {
      if (e.type === 'token' && e.words) out.push(...e.words);
      else if (e.type === 'group') visit(e.items);
    }
  };
  visit(pattern.items);
  return out;
}
