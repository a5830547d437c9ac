// `huashu rules test`: run every rule's own examples, and point out rules that can silently match
// nothing — the problem rule authors of other prose linters run into most.
//
// Each rule is tried alone (`only: [id]`), so another rule of its category cannot hide its finding.
// Failures: a bad example not flagged (or flagged elsewhere than its `span`), a good example flagged.
// Warnings: a rule with no bad example; a phrase that normalizes to nothing; a phrase that is in a bad
// example but never on word boundaries there; a regular expression that uses \b (no word boundaries
// between Chinese characters). Notes: a pattern or sequence that fires on none of the bad examples.
import { lintText } from '../engine/lint.js';
import { normalize } from '../normalize/index.js';
import { addWords, cut, tokenBoundaries } from '../segment/index.js';
import { compileRules, type RuleSet } from './compile.js';
import type { RuleSpec } from './types.js';
import { checkReplacements } from '../suggest/selftest.js';

export interface SelfTestProblem {
  ruleId: string;
  /** file:line:column of the rule. */
  location: string;
  /** failure: an example is wrong; warning: the rule may match nothing; note: a matcher no example shows. */
  severity: 'failure' | 'warning' | 'note';
  message: string;
  /** The example sentence concerned, if any. */
  example?: string;
}

export interface SelfTestReport {
  rules: number;
  examples: number;
  problems: SelfTestProblem[];
}

const where = (spec: RuleSpec) => `${spec.location.file}:${spec.location.line}:${spec.location.column}`;

/** Does `rule` (on its own, with only some of its matchers) flag any of `texts`? */
function firesOn(spec: RuleSpec, match: RuleSpec['match'], texts: readonly string[]): boolean {
  // Without `precomputed`: its anchors are per pattern of the whole rule's match, not of this one.
  const alone = compileRules([{ pack: spec.pack, file: spec.location.file, rules: [{ ...spec, match, precomputed: undefined }] }]);
  return texts.some((t) => lintText(t, alone, { directives: false }).length > 0);
}

function onWordBoundaries(text: string, phrase: string): boolean | undefined {
  let seen = false;
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    seen = true;
    const bounds = tokenBoundaries(text);
    if (bounds.includes(at) && bounds.includes(at + phrase.length)) return true;
  }
  return seen ? false : undefined;
}

export function selfTest(set: RuleSet): SelfTestReport {
  const problems: SelfTestProblem[] = [];
  let examples = 0;
  addWords(set.words, set.unseenWords);
  for (const rule of set.rules) {
    const spec = rule.spec;
    const add = (severity: SelfTestProblem['severity'], message: string, example?: string) =>
      problems.push({ ruleId: spec.id, location: where(spec), severity, message, ...(example !== undefined ? { example } : {}) });
    const bad = spec.examples?.bad ?? [];
    const good = spec.examples?.good ?? [];
    examples += bad.length + good.length;
    const options = { only: [spec.id], directives: false };

    bad.forEach((text, i) => {
      const found = lintText(text, set, options);
      const span = spec.examples?.spans?.[i];
      if (found.length === 0) add('failure', 'bad example not flagged', text);
      else if (span !== undefined && !found.some((f) => f.excerpt === span && f.offset === text.indexOf(span))) {
        add('failure', `flagged ${found.map((f) => `「${f.excerpt}」 at column ${f.column}`).join(', ')}, expected 「${span}」 at column ${[...text.slice(0, text.indexOf(span))].length + 1}`, text);
      }
    });
    for (const text of good) {
      const found = lintText(text, set, options);
      if (found.length > 0) add('failure', `good example flagged: ${found.map((f) => `「${f.excerpt}」 at column ${f.column}`).join(', ')}`, text);
    }

    const replacements = checkReplacements(spec, set);
    examples += replacements.examples;
    for (const p of replacements.problems) add('failure', p.message, p.example);

    if (bad.length === 0) {
      add('warning', 'no bad example: nothing shows that this rule can fire');
      continue;
    }
    const normalizedBad = bad.map((t) => normalize(t).text);
    for (const p of spec.match.phrases ?? []) {
      const canonical = normalize(p).text;
      if (canonical.trim() === '') {
        add('warning', `phrase '${p}' is empty after normalization and can never match`);
        continue;
      }
      if (spec.boundary !== 'token') continue;
      const results = normalizedBad.map((t) => onWordBoundaries(t, canonical)).filter((r) => r !== undefined);
      if (results.length > 0 && !results.includes(true)) {
        const sample = normalizedBad.find((t) => t.includes(canonical))!;
        add('warning', `phrase '${p}' is in the bad examples but never a whole word there (jieba: ${cut(sample).join('/')}); use a longer phrase or boundary: none`);
      }
    }
    for (const p of spec.match.patterns ?? []) {
      if (/(^|[^\\])\\b/.test(p)) add('warning', `pattern '${p}' uses \\b, which never falls between two Chinese characters`);
      if (!firesOn(spec, { patterns: [p] }, bad)) add('note', `pattern '${p}' fires on none of the bad examples`);
    }
    for (const s of spec.match.sequences ?? []) {
      if (!firesOn(spec, { sequences: [s] }, bad)) add('note', `sequence '${s}' fires on none of the bad examples`);
    }
  }
  return { rules: set.rules.length, examples, problems };
}
