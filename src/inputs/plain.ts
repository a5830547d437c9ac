// Plain text with no template placeholder is its own single segment: it goes straight to the engine.
// Kept apart from lint-document.ts so the CLI can take this path without loading the Markdown, HTML and
// JSON/YAML readers, and without an offset map per character (on a 50 MB export that map alone doubled
// the memory).
import type { Finding } from '../engine/findings.js';
import { lintText, type LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { findPlaceholders, type PlaceholderPattern } from './placeholders.js';

/** The findings of plain `text`, or undefined when it holds placeholders (then it needs lintDocument). */
export function lintPlainText(text: string, set: RuleSet, options: LintOptions & { placeholders?: readonly PlaceholderPattern[] } = {}): Finding[] | undefined {
  const { placeholders, ...lintOptions } = options;
  return findPlaceholders(text, placeholders).length === 0 ? lintText(text, set, lintOptions) : undefined;
}
