// `match` and `replace` with a global pattern make V8 compile the pattern to machine code on its first use;
// a pattern run a few times for one draft is cheaper interpreted (src/cli/regex-tiering.ts). These do the
// same with `exec`, which leaves V8 to compile a pattern once it is used often.

/** Matches of a global pattern, as `text.match(re)?.length ?? 0`. */
export function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    n++;
    if (m[0] === '') re.lastIndex++;
  }
  re.lastIndex = 0;
  return n;
}

/** `text.replace(re, fn)` for a global pattern whose matches are never empty: fn(match, groups…, index). */
export function replaceEach(re: RegExp, text: string, fn: (match: string, ...rest: never[]) => string): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') throw new Error('internal: replaceEach with an empty match');
    out += text.slice(last, m.index) + (fn as (...args: unknown[]) => string)(...m, m.index, text);
    last = m.index + m[0].length;
  }
  re.lastIndex = 0;
  return last === 0 ? text : out + text.slice(last);
}
