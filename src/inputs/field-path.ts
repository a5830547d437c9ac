// Which strings of a JSON/YAML template file to lint, as simple paths:
//
//   macros[*].actions[?field=comment_value].value
//   [*].body            translations.*.text            items[0].title
//   macros[*].actions[?field=comment_value|comment_value_html].value
//
// Steps: `name` (an object key), `*` (every key), `[*]` (every item), `[N]` (item N), `["a.b"]` (a key
// with dots), `[?key=value]` (the items, or the object, whose `key` is `value`; `a|b` for either).
// A path that ends on an object or array selects every string beneath it.

export type FieldStep =
  | { type: 'key'; name: string }
  | { type: 'anyKey' }
  | { type: 'index'; index: number }
  | { type: 'anyIndex' }
  | { type: 'filter'; key: string; values: string[] };

export interface FieldPath {
  source: string;
  steps: FieldStep[];
}

export class FieldPathError extends Error {
  constructor(
    readonly path: string,
    readonly column: number,
    what: string,
  ) {
    super(`invalid field path '${path}' at column ${column}: ${what}`);
    this.name = 'FieldPathError';
  }
}

const unquote = (s: string) => (/^(["']).*\1$/.test(s) ? s.slice(1, -1) : s);

export function parseFieldPath(source: string): FieldPath {
  const steps: FieldStep[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new FieldPathError(source, i + 1, what);
  };
  if (!source.trim()) fail('empty path');
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '.') {
      if (i === 0 || i === source.length - 1 || source[i + 1] === '.' || source[i + 1] === '[') fail("a '.' must stand between two names");
      i++;
      continue;
    }
    if (ch === '[') {
      const close = findClose(source, i);
      if (close < 0) fail("'[' without ']'");
      const inner = source.slice(i + 1, close).trim();
      if (inner === '*') steps.push({ type: 'anyIndex' });
      else if (/^\d+$/.test(inner)) steps.push({ type: 'index', index: Number(inner) });
      else if (/^(["']).*\1$/.test(inner)) steps.push({ type: 'key', name: inner.slice(1, -1) });
      else if (inner.startsWith('?')) {
        const eq = inner.indexOf('=');
        const key = unquote(inner.slice(1, eq).trim());
        if (eq < 0 || !key) fail('a filter is [?key=value]');
        const values = inner
          .slice(eq + 1)
          .split('|')
          .map((v) => unquote(v.trim()));
        if (values.some((v) => v === '')) fail('a filter needs a value');
        steps.push({ type: 'filter', key, values });
      } else fail(`expected [*], [N], ["key"] or [?key=value], found [${inner}]`);
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < source.length && source[end] !== '.' && source[end] !== '[') end++;
    const name = source.slice(i, end);
    if (name.includes(']')) fail("']' without '['");
    steps.push(name === '*' ? { type: 'anyKey' } : { type: 'key', name });
    i = end;
  }
  return { source, steps };
}

/** Index of the `]` closing the `[` at `open`, skipping quoted text. */
function findClose(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ']') return i;
  }
  return -1;
}

export function parseFieldPaths(sources: readonly string[]): FieldPath[] {
  return sources.map(parseFieldPath);
}
