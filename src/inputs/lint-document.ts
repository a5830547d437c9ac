// One file's text → findings in that file: choose the reader by the file's name, take out the text
// segments, mask placeholders, lint, point back. The one call the CLI (and a config layer) needs.
import { resolveSafeGuards } from '../edits/apply.js';
import type { Finding } from '../engine/findings.js';
import type { RuleSet } from '../rules/compile.js';
import { extractSegments, formatOf, type InputFormat } from './formats.js';
import type { FieldPath } from './field-path.js';
import { lintSegments, type SegmentLintOptions } from './remap.js';
import { TemplateSyntaxError } from './structured.js';
import { lintPlainText } from './plain.js';
import { fileDirectives } from './comments.js';
import { applyDirectivesAt } from '../engine/directives.js';

export interface DocumentLintOptions extends SegmentLintOptions {
  /** Read the text as this format (default: by the file name's extension; plain text when unknown). */
  format?: InputFormat;
  /** Field paths for JSON and YAML files (parseFieldPaths); default: chosen by the file's shape. */
  fields?: readonly FieldPath[];
  /** Field scopes of a config's `overrides` (ConfiguredRules.scoped), with setForScopes. */
  scopes?: readonly (readonly FieldPath[])[];
}

export type DocumentResult = { findings: Finding[] } | { error: string };

/** Lint the text of the file at `path`. A JSON/YAML file that does not parse gives `error`, not a throw. */
export function lintDocument(path: string, text: string, set: RuleSet, options: DocumentLintOptions = {}): DocumentResult {
  const { format = formatOf(path) ?? 'text', fields, scopes, ...segmentOptions } = options;
  if (format === 'text') {
    const findings = lintPlainText(text, set, segmentOptions);
    if (findings) return { findings };
  }
  try {
    const segments = extractSegments(text, format, { fields, scopes });
    const findings = resolveSafeGuards(text, lintSegments(text, segments, set, segmentOptions));
    // Directives in the file's own comments (which no segment holds), once findings point at the file.
    if (options.directives === false) return { findings };
    return { findings: applyDirectivesAt(text, fileDirectives(text, format), findings, set, { reportUnusedDirectives: options.reportUnusedDirectives }) };
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return { error: e.message };
    // A structure the nesting check let through but a parser still recursed too deep on: this file's
    // error, not the end of the run.
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { error: 'nested too deeply to read' };
    throw e;
  }
}
