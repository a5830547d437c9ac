// Catastrophic backtracking in the regular expressions of a user's rule pack or config. A pattern such as
// `(a+)+$` or `[^。]*保证[^。]*` runs over the whole draft: on the wrong text it takes years (exponential)
// or hours (polynomial, on a long line), and a JavaScript regular expression cannot be stopped once it
// runs. So every user pattern (match.patterns, sequence /…/ tokens, unless and lacks items, config
// placeholders) is checked when it loads, by recheck (an analyser made for this). The built-in packs are
// checked by the test-suite instead, to keep startup fast.
//
// recheck gives up on a long alternation of words (it times out), and a pattern it cannot decide is
// refused: a trial run on sample text proves nothing. So a pattern is first cut at its top-level `|`
// (the cost of an alternation is the sum of its branches' costs, tried at each position in turn): words
// need no analysis, and each other branch is analysed on its own.
import { createRequire } from 'node:module';
import { normalize, toOriginalSpan } from '../normalize/index.js';
import { RuleError } from './errors.js';
import type { PackSpec } from './types.js';

/**
 * Time recheck may spend on one pattern (or one branch of a top-level alternation), in ms: its exact
 * automaton analysis (milliseconds for most patterns, 1.5–3 s for the slowest built-in one on a busy
 * machine), then its default analysis (a fuzzer for large patterns) when that did not decide.
 */
export const REDOS_LIMITS = { automatonMs: 10_000, analysisMs: 1500 };

export type RegexVerdict =
  | { safe: true }
  | {
      safe: false;
      reason: string;
      /** [start, end) in the checked source, where recheck found the problem */
      hotspot?: [number, number];
      /** recheck could not decide (it ran out of time, or the syntax is beyond it): refused all the same */
      undecided?: true;
    };

/**
 * Walk a pattern's characters outside character classes and escapes, with the group depth after each:
 * `visit` returns true to stop there.
 */
function walk(source: string, visit: (i: number, ch: string, depth: number) => boolean | void): void {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      if (visit(i, ch, depth)) return;
    }
  }
}

/** Offsets of the top-level `|` of a pattern (outside groups and character classes). */
function topLevelBars(source: string): number[] {
  const bars: number[] = [];
  walk(source, (i, ch, depth) => {
    if (ch === '|' && depth === 0) bars.push(i);
  });
  return bars;
}

/** `(…)`, `(?:…)` or `(?<name>…)` around the whole pattern: its content's offset, else 0. */
function wrapperLength(source: string): number {
  const open = /^\((?!\?)|^\(\?:|^\(\?<[A-Za-z_$][\w$]*>/.exec(source); // not a lookaround
  if (!open || !source.endsWith(')')) return 0;
  let length = 0;
  // The group opened first must close at the very end.
  walk(source, (i, ch, depth) => {
    if (ch !== ')' || depth !== 0) return false;
    length = i === source.length - 1 ? open[0].length : 0;
    return true;
  });
  return length;
}

/** Plain words: no syntax at all, so nothing to backtrack over. */
const isLiteral = (source: string) => !/[\\^$.|?*+()[\]{}]/.test(source);

let native: boolean | undefined;

/** Is recheck's native binary for this platform installed? */
function nativeBackend(): boolean {
  if (native === undefined) {
    const os = ({ darwin: 'macos', linux: 'linux', win32: 'windows' } as Record<string, string>)[process.platform];
    try {
      createRequire(import.meta.url).resolve(`recheck-${os}-${process.arch}/package.json`);
      native = os !== undefined;
    } catch {
      native = false;
    }
  }
  return native;
}

async function recheck(source: string): Promise<RegexVerdict> {
  // recheck is bundled into dist at build time (a development dependency), so installing huashu does not
  // fetch its 22 MB Java jar. Its native binary for this platform is an optional dependency of huashu's:
  // used when installed, else recheck's JavaScript backend in this thread (slower: a long pattern may run
  // out of time and be refused). RECHECK_BACKEND set by the user still wins.
  process.env['RECHECK_BACKEND'] ??= nativeBackend() ? 'native' : 'pure';
  // A CommonJS module: Node gives its exports by name, the bundle only as `default`.
  const mod = (await import('recheck')) as typeof import('recheck') & { default?: typeof import('recheck') };
  const check = mod.default?.check ?? mod.check;
  // recheck's default picks its fuzzer for large patterns, which can take seconds where the automaton
  // analysis (exact) decides a pattern of bounded repetitions in milliseconds: try that first.
  let result = await check(source, 'u', { timeout: REDOS_LIMITS.automatonMs, checker: 'automaton' });
  if (result.status === 'unknown') result = await check(source, 'u', { timeout: REDOS_LIMITS.analysisMs });
  if (result.status === 'vulnerable') {
    const growth = result.complexity.type === 'exponential' ? 'exponential' : `polynomial (degree ${result.complexity.degree})`;
    const spot = result.hotspot[0];
    return { safe: false, reason: `${growth} time on input like ${result.attack.pattern}`, hotspot: spot && [spot.start, spot.end] };
  }
  if (result.status === 'safe') return { safe: true };
  // Unknown counts as unsafe: a trial run on sample text would prove nothing.
  const why = result.error.kind === 'timeout' ? 'the analysis ran out of time' : `the analysis does not support it (${result.error.kind})`;
  return { safe: false, reason: why, undecided: true };
}

/**
 * Is this pattern (as the engine will run it: normalized, `u` flag) free of catastrophic backtracking?
 * `whole`: it is matched against a whole token (`^(?:…)$`, as sequence elements are). Hotspots are
 * offsets into `source`.
 */
export async function checkRegex(source: string, options: { whole?: boolean } = {}): Promise<RegexVerdict> {
  const wrap = (s: string) => (options.whole ? `^(?:${s})$` : s);
  // A backreference counts groups: cutting the pattern apart would change what it means.
  if (/\\(?:[1-9]|k<)/.test(source)) return shift(await recheck(wrap(source)), options.whole ? -4 : 0);
  const inner = wrapperLength(source);
  const body = inner ? source.slice(inner, -1) : source;
  const bars = topLevelBars(body);
  if (bars.length === 0) {
    if (isLiteral(body)) return { safe: true };
    return shift(await recheck(wrap(source)), options.whole ? -4 : 0);
  }
  let from = 0;
  for (const bar of [...bars, body.length]) {
    const branch = body.slice(from, bar);
    const verdict = await checkRegex(branch, options);
    if (!verdict.safe) return shift(verdict, inner + from);
    from = bar + 1;
  }
  return { safe: true };
}

const shift = (v: RegexVerdict, by: number): RegexVerdict =>
  v.safe || !v.hotspot ? v : { ...v, hotspot: [Math.max(0, v.hotspot[0] + by), Math.max(0, v.hotspot[1] + by)] };

/** The error for an unsafe pattern: what to do, and where in the pattern when recheck says. */
export function backtrackingMessage(source: string, verdict: Extract<RegexVerdict, { safe: false }>, hotspot?: [number, number]): string {
  if (verdict.undecided) {
    return `regular expression could not be shown free of catastrophic backtracking (${verdict.reason}): simplify it, split a long alternation into several patterns, or use phrases`;
  }
  const spot = hotspot ?? verdict.hotspot;
  const where = spot ? ` at '${source.slice(spot[0], spot[1])}'` : '';
  return `regular expression can backtrack catastrophically${where} (${verdict.reason}): bound the repetition ({0,10} instead of * or +), or use phrases`;
}

/** Refuse the first pattern of these packs that can backtrack catastrophically, naming file:line:column and rule. */
export async function checkPackRegexes(packs: readonly PackSpec[]): Promise<void> {
  const seen = new Map<string, RegexVerdict>();
  for (const pack of packs) {
    for (const rule of pack.rules) {
      for (const r of rule.regexes ?? []) {
        // The engine runs the normalized pattern (traditional → simplified, full-width → ASCII).
        const n = normalize(r.source);
        const key = `${r.whole ? 'whole' : 'any'}:${n.text}`;
        let verdict = seen.get(key);
        if (!verdict) {
          verdict = await checkRegex(n.text, { whole: r.whole });
          seen.set(key, verdict);
        }
        if (verdict.safe) continue;
        let hotspot: [number, number] | undefined;
        if (verdict.hotspot) {
          const { offset, length } = toOriginalSpan(n, verdict.hotspot[0], verdict.hotspot[1]);
          hotspot = [offset, offset + length];
        }
        throw new RuleError(`rule '${rule.id}': ${r.key}: ${backtrackingMessage(r.source, verdict, hotspot)}`, pack.file, r.line, r.column);
      }
    }
  }
}
