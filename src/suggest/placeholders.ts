// Rewrites are built from the text the engine lints, where each template placeholder ({{name}}, {0},
// %s…) is masked as one character (inputs/placeholders.ts). Before a rewrite is shown or applied, each
// mask is given back the placeholder it stands for, in order; a rewrite that would lose or add one is
// dropped.
import type { Finding, Suggestion } from '../engine/findings.js';
import { sentenceSpan } from '../edits/apply.js';
import type { Segment } from '../inputs/mapped.js';
import { VALUE_MASK } from '../inputs/placeholders.js';

/** `f` is the finding in segment coordinates; `fileText` what the segment's map points into. */
export function restorePlaceholders(f: Finding, masked: Segment, fileText: string): Suggestion[] {
  if (!f.suggestions.some((s) => s.kind === 'rewrite' && s.text.includes(VALUE_MASK)) && !masked.text.includes(VALUE_MASK)) return f.suggestions;
  const span = sentenceSpan(masked.text, f.offset, f.length, true);
  const placeholders: string[] = [];
  for (let i = span.start; i < span.end; i++) {
    if (masked.text[i] === VALUE_MASK) placeholders.push(fileText.slice(masked.starts[i]!, masked.ends[i]!));
  }
  return f.suggestions.flatMap((s) => {
    if (s.kind !== 'rewrite') return s.text.includes(VALUE_MASK) ? [] : [s];
    const masks = [...s.text].filter((c) => c === VALUE_MASK).length;
    if (masks !== placeholders.length) return placeholders.length === 0 ? [s] : [];
    let k = 0;
    return [{ ...s, text: s.text.replace(new RegExp(VALUE_MASK, 'g'), () => placeholders[k++]!) }];
  });
}
