// Lint the text segments taken out of a file and point every finding back at the file: segment → mask
// placeholders → lintText → file offset, line, column and excerpt.
import { lintText, type LintOptions } from '../engine/lint.js';
import type { Finding } from '../engine/findings.js';
import { LineIndex, placeSpan } from '../engine/position.js';
import type { RuleSet } from '../rules/compile.js';
import { toFileSpan, type Segment } from './mapped.js';
import { restorePlaceholders } from '../suggest/placeholders.js';
import { DEFAULT_PLACEHOLDER_PATTERNS, maskPlaceholders, type PlaceholderPattern } from './placeholders.js';

/** A finding of a segment, moved to the file it was taken from. */
export function remapFinding(f: Finding, segment: Segment, fileText: string, lines: LineIndex): Finding {
  const { offset, length } = toFileSpan(segment, f.offset, f.offset + f.length);
  return { ...f, suggestions: restorePlaceholders(f, segment, fileText), ...placeSpan(fileText, lines, offset, length) };
}

export interface SegmentLintOptions extends LintOptions {
  /** Placeholder patterns to mask (default: the built-in ones). */
  placeholders?: readonly PlaceholderPattern[];
  /** The rule set for a segment in field scopes (Segment.scopes; a config's `overrides` with `fields`). */
  setForScopes?: (scopes: readonly number[]) => RuleSet;
}

/**
 * Lint each segment on its own (a paragraph, a JSON string: one reply, in one script) and return the
 * findings in file order, with positions in `fileText`.
 */
export function lintSegments(fileText: string, segments: readonly Segment[], set: RuleSet, options: SegmentLintOptions = {}): Finding[] {
  const { placeholders = DEFAULT_PLACEHOLDER_PATTERNS, setForScopes, ...lintOptions } = options;
  let lines: LineIndex | undefined;
  const out: Finding[] = [];
  for (const segment of segments) {
    if (!segment.text.trim()) continue;
    const masked = maskPlaceholders(segment, placeholders);
    const options = segment.context ? { ...lintOptions, ...segment.context } : lintOptions;
    const findings = lintText(masked.text, segment.scopes && setForScopes ? setForScopes(segment.scopes) : set, options);
    if (findings.length === 0) continue;
    lines ??= new LineIndex(fileText);
    for (const f of findings) out.push(remapFinding(f, masked, fileText, lines));
  }
  // Stable: within a segment the engine's order stands; segments do not overlap.
  return out.sort((a, b) => a.offset - b.offset);
}
