// The review loop's hook in `huashu lint`: a finding a reviewer rejected for this very reply (the
// finding's line, or the whole draft, has the fingerprint of a reply rejected for that rule) is left out
// of the report and counted on stderr. Only .huashu-review.json's existence is checked on every run; the
// review module loads when there is one.
import type { FileResult } from '../formatters/types.js';
import { printable } from './printable.js';

/** Take the suppressed findings out of `results` (in place); says on stderr how many. */
export async function suppressLintFindings(results: FileResult[], reviewFile: string | undefined): Promise<number> {
  const { findReviewFile } = await import('../audit/review-file.js');
  if (reviewFile === undefined && findReviewFile() === undefined) return 0;
  const { loadSuppressions } = await import('./review.js');
  const suppressions = await loadSuppressions(reviewFile);
  if (!suppressions || suppressions.size === 0) return 0;
  for (const result of results) {
    if (result.text === undefined || result.findings.length === 0) continue;
    const text = result.text;
    let lines: string[] | undefined;
    const { kept } = suppressions.filter([...result.findings], (f) => {
      lines ??= text.split(/\r\n|\r|\n/);
      return [lines[f.line - 1] ?? '', text];
    });
    if (kept.length !== result.findings.length) result.findings = kept;
  }
  const n = suppressions.total;
  if (n > 0) {
    const rules = [...suppressions.byRule].map(([rule, k]) => `${rule} ${k}`).join(', ');
    process.stderr.write(`huashu: ${n} finding${n === 1 ? '' : 's'} suppressed: rejected by reviewers for these very replies (${printable(suppressions.path)}: ${printable(rules)}; --no-review-file shows them)\n`);
  }
  return n;
}
