// Matches of a rule's regular expression: exactly the non-empty matches `text.matchAll(re)` gives, found by
// trying the expression only at the positions its anchors allow (rules/anchors.ts).
//
// A global scan takes, from where the last match ended, the leftmost position where the expression matches.
// No match can start outside the candidate positions, so trying those in order with a sticky copy of the
// expression finds the same matches. When there are many candidates, the global scan is cheaper.

export interface PatternMatcher {
  /** The expression as compiled (flags gu): the global scan. */
  readonly global: RegExp;
  /** Its anchors (rules/anchors.ts), or null: always scan. */
  readonly anchors: readonly { text: string; min: number; max: number }[] | null;
  /** Words every match also needs, one of each list (rules/anchors.ts patternRequirements); checked by the caller. */
  readonly requires?: readonly (readonly string[])[];
  /** The sticky copy, made on first use. */
  sticky?: RegExp;
}

export interface Match {
  start: number;
  end: number;
}

/**
 * A sticky attempt costs about as much as a global scan over this many characters: a text shorter than
 * this (most replies) is scanned whole wherever an anchor occurs (engine/lint.ts builds no ranges for it).
 */
export const STICKY_ATTEMPT_CHARS = 100;

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** What `text.matchAll(re)` gives, without its per-call copy of the expression (most calls find nothing). */
export function globalMatches(re: RegExp, text: string, out: Match[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length > 0) {
      out.push({ start: m.index, end: m.index + m[0].length });
      continue;
    }
    // An empty match: step past it (a whole code point, as the u flag requires).
    const at = re.lastIndex;
    re.lastIndex = at + (isHighSurrogate(text.charCodeAt(at)) && isLowSurrogate(text.charCodeAt(at + 1)) ? 2 : 1);
    if (re.lastIndex > text.length) break;
  }
  re.lastIndex = 0;
}

/**
 * `ranges`: pairs [from, to] (inclusive) of positions where a match may start, in any order; they must
 * cover every position where one does (the anchors' occurrences, each minus its window). `always`: never
 * fall back to the global scan (for tests: both ways must give the same matches). `out`: where the
 * matches go (the engine passes one array for every pattern of a text: most runs find nothing, and a new
 * array each was a good share of a lint's garbage).
 */
export function patternMatches(p: PatternMatcher, text: string, ranges: number[] | undefined, always = false, out: Match[] = []): Match[] {
  if (!p.anchors) {
    globalMatches(p.global, text, out);
    return out;
  }
  if (!ranges || ranges.length === 0) return out; // no anchor in the text: no match, nothing compiled
  if (!always && (ranges.length / 2) * STICKY_ATTEMPT_CHARS > text.length) {
    globalMatches(p.global, text, out);
    return out;
  }
  // Sort the ranges by start and merge them, counting the positions to try.
  const order: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) order.push(i);
  order.sort((a, b) => ranges[a]! - ranges[b]!);
  const merged: number[] = [];
  let positions = 0;
  for (const i of order) {
    const from = Math.max(0, ranges[i]!);
    const to = Math.min(text.length - 1, ranges[i + 1]!);
    if (to < from) continue;
    const last = merged.length - 2;
    if (last >= 0 && from <= merged[last + 1]! + 1) {
      if (to > merged[last + 1]!) {
        positions += to - merged[last + 1]!;
        merged[last + 1] = to;
      }
    } else {
      merged.push(from, to);
      positions += to - from + 1;
    }
  }
  if (!always && positions * STICKY_ATTEMPT_CHARS > text.length) {
    globalMatches(p.global, text, out);
    return out;
  }
  const re = (p.sticky ??= new RegExp(p.global.source, p.global.flags.replace('g', '') + 'y'));
  let next = 0; // where the global scan would resume
  for (let r = 0; r < merged.length; r += 2) {
    for (let s = Math.max(merged[r]!, next); s <= merged[r + 1]!; s++) {
      // With the u flag a scan never starts inside a surrogate pair.
      if (isLowSurrogate(text.charCodeAt(s)) && s > 0 && isHighSurrogate(text.charCodeAt(s - 1))) continue;
      re.lastIndex = s;
      const m = re.exec(text);
      if (!m) continue;
      const end = s + m[0].length;
      if (end > s) {
        out.push({ start: s, end });
        next = end;
        s = end - 1;
      } else {
        next = s + (isHighSurrogate(text.charCodeAt(s)) && isLowSurrogate(text.charCodeAt(s + 1)) ? 2 : 1);
        s = next - 1;
      }
    }
  }
  return out;
}
