// `\p{Script=Han}` as plain code-point ranges. V8 compiles the property escape slowly: ~20 ranges, the astral
// ones as surrogate-pair alternatives, ~250 µs the first time a pattern runs (the packs' X就X patterns
// were the costliest of a one-draft run). The same characters as 11 ranges cost ~40 µs. The ranges bridge
// only unassigned code points, so they match exactly the assigned Han characters of Unicode 17 (Node 20's
// ICU 78); test/han.test.ts checks that against the running Node.

/** The Han characters, as the contents of a character class. */
export const HAN_RANGES =
  '\\u2E80-\\u2FD5\\u3005\\u3007\\u3021-\\u3029\\u3038-\\u303B\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAD9\\u{16FE2}-\\u{16FE3}\\u{16FF0}-\\u{16FF6}\\u{20000}-\\u{33479}';

const HAN_PROPERTY = /^\\p\{(?:Script|sc)=(?:Han|Hani)\}/;

/**
 * A `u`-flag pattern source with every `\p{Script=Han}` (or `\p{sc=Han}`) written as HAN_RANGES: bare
 * inside a character class, bracketed outside one. Everything else is left as it is.
 */
export function withHanRanges(source: string): string {
  if (!source.includes('\\p{')) return source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const m = HAN_PROPERTY.exec(source.slice(i, i + 20));
      if (m) {
        out += inClass ? HAN_RANGES : `[${HAN_RANGES}]`;
        i += m[0].length - 1;
      } else {
        out += c + (source[i + 1] ?? ''); // an escaped character, whatever it is
        i++;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}
