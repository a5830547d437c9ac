// Before the coach changes or saves a file: it must still read as what it was (JSON, YAML, Markdown,
// HTML), with the same structure, and keep every template placeholder ({{…}}, {…}, %s…) it had.
import { extractSegments, type InputFormat } from '../inputs/formats.js';
import { findPlaceholders } from '../inputs/placeholders.js';

function placeholders(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of findPlaceholders(text)) {
    const p = text.slice(m.start, m.end);
    out.set(p, (out.get(p) ?? 0) + 1);
  }
  return out;
}

/** Markdown blocks (headings, list items, quotes, fences, tables) and HTML tags, in order: the file's shape. */
function shape(format: InputFormat, text: string): string {
  if (format === 'markdown') {
    return text
      .split(/\r\n|\r|\n/)
      .map((l) => /^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|```|~~~|\|)/.exec(l)?.[1]?.trim() ?? (l.trim() === '' ? '' : 'p'))
      .join('\n')
      .replace(/(p\n)+p/g, 'p');
  }
  if (format === 'html') return [...text.matchAll(/<\/?([a-zA-Z][\w-]*)[^>]*>/g)].map((m) => m[0]).join('');
  if (format === 'json') {
    const keys: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      else keys.push(`${path}:${typeof v}`);
    };
    walk(JSON.parse(text), '');
    return keys.join('\n');
  }
  return '';
}

/** Why `edited` may not replace `original` (a file of `format`), or undefined when it may. */
export function unsafeChange(format: InputFormat, original: string, edited: string): string | undefined {
  if (format !== 'text') {
    try {
      extractSegments(edited, format);
    } catch (e) {
      return `it would no longer read as ${format} (${(e as Error).message})`;
    }
    try {
      if (shape(format, original) !== shape(format, edited)) return `its ${format === 'json' ? 'keys' : format === 'html' ? 'markup' : 'structure (lists, headings, quotes)'} would change`;
    } catch (e) {
      return `it would no longer read as ${format} (${(e as Error).message})`;
    }
  }
  const before = placeholders(original);
  const after = placeholders(edited);
  for (const [p, n] of before) if ((after.get(p) ?? 0) < n) return `the placeholder ${p} would be lost`;
  for (const [p, n] of after) if ((before.get(p) ?? 0) < n) return `a placeholder ${p} would be added`;
  return undefined;
}
