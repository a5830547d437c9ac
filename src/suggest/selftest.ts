// `huashu rules test` for replacements: each `examples` draft must be flagged by the rule, offered the
// replacement (it fits there) and read as `result` once it is applied; each `misfits` draft must not be
// offered it. The result itself is never flagged, or the replacement would not have been offered.
import { editFor, applyEdit } from '../edits/apply.js';
import { lintText } from '../engine/lint.js';
import { render } from './register.js';
import type { RuleSet } from '../rules/compile.js';
import type { RuleSpec } from '../rules/types.js';

export interface ReplacementProblem {
  message: string;
  example: string;
}

export function checkReplacements(spec: RuleSpec, set: RuleSet): { examples: number; problems: ReplacementProblem[] } {
  const problems: ReplacementProblem[] = [];
  let examples = 0;
  const options = { only: [spec.id], directives: false };
  for (const s of spec.suggest) {
    if (s.kind !== 'replace') continue;
    for (const { draft, result } of s.examples ?? []) {
      examples++;
      const found = lintText(draft, set, options);
      if (found.length === 0) {
        problems.push({ message: `replacement 「${s.text}」: example draft not flagged`, example: draft });
        continue;
      }
      const offered = found.flatMap((f) => f.suggestions.filter((x) => x.kind === 'replace' && x.text === render(s.text, f.script)).map((x) => ({ f, x })));
      const got = offered.map(({ f, x }) => applyEdit(draft, editFor(draft, f, x)));
      if (!got.includes(result)) {
        problems.push({ message: `replacement 「${s.text}」: expected 「${result}」, ${got.length ? `got ${got.map((g) => `「${g}」`).join(', ')}` : 'not offered (it does not fit there, or its result is flagged)'}`, example: draft });
      }
    }
    for (const draft of s.misfits ?? []) {
      examples++;
      const found = lintText(draft, set, options);
      const wrong = found.filter((f) => f.suggestions.some((x) => x.kind === 'replace' && x.text === render(s.text, f.script)));
      if (wrong.length) problems.push({ message: `replacement 「${s.text}」 offered where it does not fit (at 「${wrong[0]!.excerpt}」)`, example: draft });
    }
  }
  return { examples, problems };
}
