// Text taken out of a file (a JSON string, a Markdown paragraph, an HTML text node…) together with where
// each of its UTF-16 code units came from in the file, so findings can be pointed back at the file.
//
// Code unit i of `text` came from the file span [starts[i], ends[i]): one to one for plain characters, a
// whole escape (`\u4e00`, `&amp;`, `\"`) for the character it stands for, a whole placeholder for the
// one character that masks it.

export interface Segment {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  /** Where in the document the text sits, for messages and debugging: `macros[2].actions[0].value`. */
  label?: string;
  /** Indexes of the field scopes (a config's `overrides` with `fields`) that select this string. */
  scopes?: number[];
  /** An agent's turn of a dialogue file: the conversation before it, for the judgement of this turn. */
  context?: { precedingTurn?: string; customerTurn?: string };
}

/** Builds a Segment piece by piece. */
export class SegmentBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  get length(): number {
    return this.starts.length;
  }

  /** Characters copied verbatim from the file: text[i] came from file offset `from + i`. */
  copy(text: string, from: number): this {
    this.parts.push(text);
    for (let i = 0; i < text.length; i++) {
      this.starts.push(from + i);
      this.ends.push(from + i + 1);
    }
    return this;
  }

  /** Characters that all stand for the file span [from, to) (an escape, an entity, a placeholder). */
  span(text: string, from: number, to: number): this {
    this.parts.push(text);
    for (let i = 0; i < text.length; i++) {
      this.starts.push(from);
      this.ends.push(to);
    }
    return this;
  }

  build(label?: string): Segment {
    return { text: this.parts.join(''), starts: Int32Array.from(this.starts), ends: Int32Array.from(this.ends), ...(label !== undefined ? { label } : {}) };
  }
}

/** The whole of `text` as a segment, starting at file offset `from`. */
export function identitySegment(text: string, from = 0, label?: string): Segment {
  return new SegmentBuilder().copy(text, from).build(label);
}

/** Map a half-open span of a segment's text to a span of the file. */
export function toFileSpan(segment: Segment, start: number, end: number): { offset: number; length: number } {
  if (segment.starts.length === 0) return { offset: 0, length: 0 };
  if (end <= start) {
    const at = start < segment.starts.length ? segment.starts[start]! : segment.ends[segment.ends.length - 1]!;
    return { offset: at, length: 0 };
  }
  const offset = segment.starts[start]!;
  return { offset, length: segment.ends[end - 1]! - offset };
}

/**
 * `inner` was extracted from `outer.text` (its offsets point into outer.text); the result points into
 * the file that `outer` points into. Used for HTML inside a JSON string.
 */
export function compose(inner: Segment, outer: Segment): Segment {
  const n = inner.text.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = inner.starts[i]!;
    const e = inner.ends[i]!;
    starts[i] = outer.starts[s]!;
    ends[i] = e > s ? outer.ends[e - 1]! : outer.starts[s]!;
  }
  const label = [outer.label, inner.label].filter(Boolean).join(' ');
  return { text: inner.text, starts, ends, ...(label ? { label } : {}), ...(outer.scopes ? { scopes: outer.scopes } : {}) };
}

/** An escape sequence at a position of the raw source: what it decodes to and how long it is. */
export type EscapeDecoder = (raw: string, at: number) => { text: string; length: number } | undefined;

/**
 * Map a decoded value back onto the raw source it was decoded from. `value` is what a parser produced
 * (the truth), `raw[from, to)` the source it came from. The source may hold, besides the value's own
 * characters, escapes (decoded by `decode`) and characters the parser dropped or folded (indentation,
 * line breaks folded to a space, block prefixes such as `> `). Walks both in step: an escape that yields
 * the value's next characters maps them to the escape; an equal character maps one to one; a folded
 * space or line break maps to the source's line break; anything else in the source was dropped.
 */
export function alignValue(builder: SegmentBuilder, value: string, raw: string, from: number, to: number, decode?: EscapeDecoder): void {
  let i = 0;
  let j = from;
  while (i < value.length) {
    if (j >= to) {
      // The source ran out (should not happen): the rest stands for the end of the range.
      builder.span(value.slice(i), Math.max(from, to - 1), to);
      return;
    }
    const escape = decode?.(raw, j);
    if (escape && value.startsWith(escape.text, i)) {
      builder.span(escape.text, j, j + escape.length);
      i += escape.text.length;
      j += escape.length;
      continue;
    }
    const v = value[i]!;
    const r = raw[j]!;
    if (v === r) {
      builder.copy(v, j);
      i++;
      j++;
      continue;
    }
    if ((v === ' ' || v === '\n') && (r === '\n' || r === '\r')) {
      // A line break folded into a space (YAML, Markdown soft breaks) or a \r\n read as \n.
      const width = r === '\r' && raw[j + 1] === '\n' ? 2 : 1;
      builder.span(v, j, j + width);
      i++;
      j += width;
      continue;
    }
    j++;
  }
}

/** The segment moved `delta` code units along the file (text read from a slice of the file). */
export function shiftSegment(segment: Segment, delta: number): Segment {
  if (delta === 0) return segment;
  return { ...segment, starts: segment.starts.map((s) => s + delta), ends: segment.ends.map((e) => e + delta) };
}
