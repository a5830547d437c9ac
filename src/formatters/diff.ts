// Diffs of a draft before and after: a unified diff (`huashu fix --dry-run`, made by the `diff` package)
// and the whole draft with its changed lines marked (end of `huashu coach`), optionally coloured.
import { Chalk } from 'chalk';
import { createTwoFilesPatch, diffChars, diffLines } from 'diff';

const palette = (color: boolean) => new Chalk({ level: color ? 1 : 0 });

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A unified diff of one file, `--- a/path` / `+++ b/path`; '' when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string, options: { color?: boolean; context?: number } = {}): string {
  if (before === after) return '';
  // A file name can hold escape sequences: shown as '?', as ls does, so a diff cannot drive the terminal.
  const shown = path.replace(CONTROL, '?');
  const patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: options.context ?? 3 });
  // The package starts with an `Index:`/`===` header that git and patch do not need.
  const lines = patch.split('\n').filter((l, i) => !(i < 2 && (l.startsWith('Index: ') || /^=+$/.test(l))));
  const c = palette(options.color ?? false);
  return (
    lines
      .map((l) => {
        if (l.startsWith('+++') || l.startsWith('---')) return c.bold(l);
        if (l.startsWith('@@')) return c.cyan(l);
        if (l.startsWith('+')) return c.green(l);
        if (l.startsWith('-')) return c.red(l);
        return l;
      })
      .join('\n')
      .replace(/\n*$/, '') + '\n'
  );
}

const splitLines = (s: string) => s.replace(/\r?\n$|\r$/, '').split(/\r\n|\r|\n/);

/**
 * The whole draft: unchanged lines as they are (indented two spaces), a changed line as `- old` and
 * `+ new`, with the changed characters emphasised when coloured.
 */
export function draftDiff(before: string, after: string, options: { color?: boolean } = {}): string {
  const c = palette(options.color ?? false);
  const out: string[] = [];
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      // A changed block: mark the characters that differ inside it.
      let old = '';
      let neu = '';
      for (const ch of diffChars(part.value, next.value)) {
        if (ch.removed) old += c.inverse(ch.value);
        else if (ch.added) neu += c.inverse(ch.value);
        else {
          old += ch.value;
          neu += ch.value;
        }
      }
      out.push(...splitLines(old).map((l) => c.red(`- ${l}`)));
      out.push(...splitLines(neu).map((l) => c.green(`+ ${l}`)));
      i++;
    } else if (part.removed) out.push(...splitLines(part.value).map((l) => c.red(`- ${l}`)));
    else if (part.added) out.push(...splitLines(part.value).map((l) => c.green(`+ ${l}`)));
    else out.push(...splitLines(part.value).map((l) => c.dim(`  ${l}`)));
  }
  return out.join('\n') + '\n';
}
