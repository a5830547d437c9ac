// Where the coach may write in a file: inside the text node a finding is in (a JSON or YAML string, a
// Markdown paragraph or list item, an HTML text node), never across keys, quotes, markup or placeholders.
// The sentence a rewrite replaces is found in the text as `lint` reads it and mapped back to the file; a
// sentence with markup inside it (a link, **bold**) is not rewritten whole — the agent edits it by hand.
import { sentenceSpan, type Edit } from '../edits/apply.js';
import type { Finding, Suggestion } from '../engine/findings.js';
import { extractSegments, type InputFormat } from '../inputs/formats.js';
import type { Segment } from '../inputs/mapped.js';
import { maskPlaceholders } from '../inputs/placeholders.js';

export interface TextNodes {
  /** The file span of the sentence around the finding, inside its text node; a string says why there is none. */
  sentence(text: string, f: Pick<Finding, 'offset' | 'length'>, withPunctuation?: boolean): { start: number; end: number; markup?: boolean } | string;
  /** The edit that applying `s` makes, or why it cannot be made. */
  edit(text: string, f: Pick<Finding, 'offset' | 'length'>, s: Pick<Suggestion, 'kind' | 'text'>): Edit | string;
}

/** Text as the file writes it inside a node of this format. */
export function escapeFor(format: InputFormat, text: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify(text).slice(1, -1);
    case 'html':
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    default:
      return text;
  }
}

function segmentAt(segments: readonly Segment[], offset: number): { segment: Segment; index: number } | undefined {
  for (const segment of segments) {
    const { starts } = segment;
    if (starts.length === 0 || offset < starts[0]! || offset > segment.ends[starts.length - 1]!) continue;
    for (let i = 0; i < starts.length; i++) if (starts[i] === offset) return { segment, index: i };
  }
  return undefined;
}

export function textNodes(format: InputFormat): TextNodes {
  const sentence: TextNodes['sentence'] = (text, f, withPunctuation = true) => {
    if (format === 'text') return sentenceSpan(text, f.offset, f.length, withPunctuation);
    let segments: Segment[];
    try {
      segments = extractSegments(text, format).map((s) => maskPlaceholders(s));
    } catch (e) {
      return (e as Error).message;
    }
    const at = segmentAt(segments, f.offset);
    if (!at) return 'the finding is not inside a text node';
    const { segment, index } = at;
    // the finding's length in segment units: up to the unit whose file end is the finding's end
    let last = index;
    while (last < segment.ends.length && segment.ends[last]! < f.offset + f.length) last++;
    const span = sentenceSpan(segment.text, index, last - index + 1, withPunctuation);
    if (span.end <= span.start) return 'empty sentence';
    let markup = false;
    for (let i = span.start + 1; i < span.end; i++) if (segment.starts[i] !== segment.ends[i - 1]) markup = true;
    return { start: segment.starts[span.start]!, end: segment.ends[span.end - 1]!, markup };
  };
  return {
    sentence,
    edit(text, f, s) {
      if (s.kind === 'replace') return { start: f.offset, end: f.offset + f.length, text: escapeFor(format, s.text) };
      const ownPunctuation = /[。！？!?；;｡.…]$/u.test(s.text);
      const span = sentence(text, f, ownPunctuation);
      if (typeof span === 'string') return span;
      if (span.markup) return 'the sentence has markup inside it (a link, emphasis): edit it by hand';
      return { start: span.start, end: span.end, text: escapeFor(format, s.text) };
    },
  };
}
