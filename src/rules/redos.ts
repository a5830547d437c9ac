// Catastrophic backtracking in the regular expressions of a user's rule pack. A pattern such as `(a+)+$`
// or `[^。]*保证[^。]*` runs over the whole draft: on the wrong text it takes years (exponential) or hours
// (polynomial, on a long line), and a JavaScript regular expression cannot be stopped once it runs.
// So packs passed with --rules are checked when they load, by recheck (an analyser made for this) and,
// where recheck cannot decide in time (a long alternation of words), by a trial on adversarial text
// under a time limit. The built-in packs are checked by the test-suite instead, to keep startup fast.
import { createContext, runInContext } from 'node:vm';
import { normalize, toOriginalSpan } from '../normalize/index.js';
import { RuleError } from './errors.js';
import type { PackSpec } from './types.js';

/** Time recheck may spend on one pattern, and the trial's limit on one adversarial input (ms). */
export const REDOS_LIMITS = { analysisMs: 1500, trialMs: 250, trialLength: 20_000 };

export type RegexVerdict =
  | { safe: true }
  | { safe: false; reason: string; /** [start, end) in the checked source, where recheck found the problem */ hotspot?: [number, number] };

/** Adversarial inputs: each character the pattern names, repeated, then a character that fails the match. */
function trialInputs(source: string): string[] {
  const chars = new Set<string>(['a', '0', ' ', '一', '，', '\n']);
  for (const ch of source.replace(/\\[pPuxc]\{?[\w=]*\}?|\\./g, '')) if (!/[()[\]{}|*+?^$.\\]/.test(ch)) chars.add(ch);
  const inputs: string[] = [];
  for (const ch of [...chars].slice(0, 64)) {
    inputs.push(ch.repeat(REDOS_LIMITS.trialLength) + '\u0000');
    inputs.push(ch.repeat(REDOS_LIMITS.trialLength / 2) + '\u0000' + ch.repeat(REDOS_LIMITS.trialLength / 2));
  }
  return inputs;
}

/** Run the pattern over each input the way the engine does (matchAll), in a VM that stops it on time. */
function trial(source: string): RegexVerdict {
  const sandbox = createContext({ re: new RegExp(source, 'gu'), input: '' });
  for (const input of trialInputs(source)) {
    try {
      sandbox['input'] = input;
      runInContext('for (const m of input.matchAll(re)) {}', sandbox, { timeout: REDOS_LIMITS.trialMs });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
      const sample = JSON.stringify(input.slice(0, 3) + '…');
      return { safe: false, reason: `took over ${REDOS_LIMITS.trialMs} ms on ${input.length} characters like ${sample}` };
    }
  }
  return { safe: true };
}

/** Is this pattern (as the engine will run it: normalized, `u` flag) free of catastrophic backtracking? */
export async function checkRegex(source: string): Promise<RegexVerdict> {
  const { check } = await import('recheck');
  const result = await check(source, 'u', { timeout: REDOS_LIMITS.analysisMs });
  if (result.status === 'vulnerable') {
    const growth = result.complexity.type === 'exponential' ? 'exponential' : `polynomial (degree ${result.complexity.degree})`;
    const spot = result.hotspot[0];
    return { safe: false, reason: `${growth} time on input like ${result.attack.pattern}`, hotspot: spot && [spot.start, spot.end] };
  }
  if (result.status === 'safe') return { safe: true };
  return trial(source); // 'unknown': recheck ran out of time or does not support the syntax
}

/** Refuse the first pattern of these packs that can backtrack catastrophically, naming file:line:column and rule. */
export async function checkPackRegexes(packs: readonly PackSpec[]): Promise<void> {
  const seen = new Map<string, RegexVerdict>();
  for (const pack of packs) {
    for (const rule of pack.rules) {
      for (const r of rule.regexes ?? []) {
        // The engine runs the normalized pattern (traditional → simplified, full-width → ASCII).
        const n = normalize(r.source);
        let verdict = seen.get(n.text);
        if (!verdict) {
          verdict = await checkRegex(n.text);
          seen.set(n.text, verdict);
        }
        if (verdict.safe) continue;
        let where = '';
        if (verdict.hotspot) {
          const { offset, length } = toOriginalSpan(n, verdict.hotspot[0], verdict.hotspot[1]);
          where = ` at '${r.source.slice(offset, offset + length)}'`;
        }
        throw new RuleError(
          `rule '${rule.id}': ${r.key}: regular expression can backtrack catastrophically${where} (${verdict.reason}): bound the repetition ({0,10} instead of * or +), or use phrases`,
          pack.file,
          r.line,
          r.column,
        );
      }
    }
  }
}
