// Plain text with no template placeholder is its own single segment: it goes straight to the engine.
// Kept apart from lint-document.ts so the CLI can take this path without loading the Markdown, HTML and
// JSON/YAML readers, and without an offset map per character (on a 50 MB export that map alone doubled
// the memory).
import { resolveSafeGuards } from '../edits/apply.js';
import type { Finding } from '../engine/findings.js';
import { lintText, type LintOptions } from '../engine/lint.js';
import type { RuleSet } from '../rules/compile.js';
import { blankUrls, findPlaceholders, type PlaceholderPattern } from './placeholders.js';

/** The findings of plain `text`, or undefined when it holds placeholders (then it needs lintDocument). */
export function lintPlainText(text: string, set: RuleSet, options: LintOptions & { placeholders?: readonly PlaceholderPattern[] } = {}): Finding[] | undefined {
  const { placeholders, ...lintOptions } = options;
  const found = findPlaceholders(text, placeholders);
  if (found.length === 0) return resolveSafeGuards(text, lintText(text, set, lintOptions));
  // Links only (exports are full of them): blanked in place, every position kept, so the text stays on
  // this path instead of a per-character offset map (which doubled the time and memory of a 5 MB lint).
  if (found.every((p) => p.name === 'url')) {
    return resolveSafeGuards(text, lintText(blankUrls(text), set, lintOptions).map((f) => ({ ...f, excerpt: text.slice(f.offset, f.offset + f.length) })));
  }
  return undefined;
}
