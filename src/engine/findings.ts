import type { Severity, SourceRef } from '../rules/types.js';
import type { Script } from '../normalize/index.js';
import type { FitSpec } from '../suggest/frames.js';

export interface Suggestion {
  kind: 'replace' | 'rewrite';
  /** In the draft's own script. */
  text: string;
  source?: SourceRef;
  safe?: boolean;
  /** A `replace`: the frame it fits (src/suggest/frames.ts), as the pack states it. */
  fits?: FitSpec;
  /** A `rewrite` with blanks: what the agent must fill before it is used (the coach asks). */
  slots?: string[];
}

/**
 * One problem found in a text. Lines and columns are 1-based; columns count Unicode code points;
 * `endColumn` is exclusive (the column just after the span). `offset`/`length` are UTF-16 code units
 * into the original text, so `text.slice(offset, offset + length) === excerpt`.
 */
export interface Finding {
  ruleId: string;
  category: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  length: number;
  excerpt: string;
  suggestions: Suggestion[];
  /** The script suggestions were rendered in (that of the draft's line). */
  script: Script;
}
