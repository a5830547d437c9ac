// How deeply a template file nests, measured in one linear pass before it is parsed. The parsers recurse
// (JSON 3,000 levels deep, 8,000 `>` overflowed the stack and stopped the whole run) or slow down with
// depth (1,200 nested Markdown list levels took over a minute, 300,000 nested <div> as long); no reply
// template comes near the limits, so a file beyond them is refused as that file's error and the other
// files are linted.
import type { InputFormat } from './kinds.js';
import { TemplateSyntaxError } from './structured.js';

/** Deepest nesting of lists, quotes, arrays or mappings a template file may have. */
export const MAX_NESTING = 100;

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: Array.from(before[before.length - 1]!).length + 1 };
}

function tooDeep(text: string, offset: number, limit: number): TemplateSyntaxError {
  const at = position(text, offset);
  return new TemplateSyntaxError(`nested too deeply (more than ${limit} levels)`, at.line, at.column);
}

function tooMany(text: string, offset: number): TemplateSyntaxError {
  const at = position(text, offset);
  return new TemplateSyntaxError(`too many emphasis or link markers (* _ [ ]) in one paragraph (more than ${MAX_MARKDOWN_MARKERS})`, at.line, at.column);
}

/** JSON, and YAML flow collections: brackets outside strings. */
function bracketDepth(text: string, yaml: boolean): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || (yaml && ch === "'")) quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (yaml && ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++; // a comment
    } else if (yaml && ch === '\n') quote = '';
  }
  return -1;
}

/**
 * Markdown and YAML block structure: on each line, the container markers before its text (`>`, list
 * bullets, YAML `- `) plus its indentation in steps of two columns — an upper bound on its depth.
 */
function blockDepth(text: string, markers: RegExp): number {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let depth = 0;
    let column = 0;
    let i = start;
    while (i < end) {
      const ch = text[i]!;
      if (ch === ' ') column++;
      else if (ch === '\t') column += 4 - (column % 4);
      else {
        markers.lastIndex = i;
        const m = markers.exec(text);
        if (!m || m[0].length === 0) break;
        depth++;
      }
      if (depth + Math.floor(column / 2) > MAX_NESTING) return i;
      i += ch === ' ' || ch === '\t' ? 1 : markers.lastIndex - i;
    }
    start = end + 1;
  }
  return -1;
}

/** HTML is measured in tags, and a tag a parser closes by itself is not counted: a looser bound. */
export const MAX_HTML_NESTING = 1000;

/** Elements with no end tag, or whose end tag may be left out (HTML closes them by itself). */
const UNCOUNTED = new Set(
  'area base br col embed hr img input link meta param source track wbr li p td th tr dt dd option optgroup rt rp thead tbody tfoot colgroup caption html head body'.split(' '),
);
const TAG_NAME = /<(\/?)([A-Za-z][A-Za-z0-9-]*)/y;

/**
 * How deeply elements nest (300,000 nested <div> took 67 s to read). One forward scan: comments, script
 * and style bodies are skipped with indexOf, so no search starts over.
 */
function tagDepth(text: string): number {
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (text.startsWith('<!--', i)) {
      i = text.indexOf('-->', i + 4);
      if (i < 0) return -1;
      continue;
    }
    TAG_NAME.lastIndex = i;
    const m = TAG_NAME.exec(text);
    if (!m) continue;
    const end = text.indexOf('>', TAG_NAME.lastIndex);
    if (end < 0) return -1;
    const name = m[2]!.toLowerCase();
    const closing = m[1] === '/';
    i = end;
    if (!closing && (name === 'script' || name === 'style')) {
      const body = new RegExp(`</${name}`, 'ig');
      body.lastIndex = end;
      const close = body.exec(text);
      if (!close) return -1;
      i = close.index;
      continue;
    }
    if (UNCOUNTED.has(name) || text[end - 1] === '/') continue; // void, closed by itself, or <x/>
    if (closing) depth = Math.max(0, depth - 1);
    else if (++depth > MAX_HTML_NESTING) return m.index;
  }
  return -1;
}

// A marker takes the one space after it (`> > x` is two levels, `  - x` a second-level item).
const MARKDOWN_MARKERS = />[ \t]?|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/my;
const YAML_MARKERS = /-(?:[ \t]|$)/my;

/**
 * Emphasis and link markers (`*`, `_`, `[`, `]`) in one run of non-blank lines. The Markdown parser
 * pairs them up in time that grows with their square: 40,000 `*` in a paragraph took 32 s; 5,000 take
 * half a second. A paragraph is at most such a run, so this bounds every paragraph.
 */
export const MAX_MARKDOWN_MARKERS = 5000;

function markerRun(text: string): number {
  let count = 0;
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x2a || ch === 0x5f || ch === 0x5b || ch === 0x5d) {
      if (++count > MAX_MARKDOWN_MARKERS) return runStart;
    } else if (ch === 0x0a) {
      const next = text.indexOf('\n', i + 1);
      if (/^[ \t\r]*$/.test(text.slice(i + 1, next < 0 ? text.length : next))) count = 0; // a blank line ends the paragraph
      if (count === 0) runStart = i + 1; // reported at the run's first line with a marker
    }
  }
  return -1;
}

/** Throws TemplateSyntaxError (at the first line too deep) when `text` nests more than MAX_NESTING levels. */
export function checkNesting(text: string, format: InputFormat): void {
  let at = -1;
  if (format === 'json') at = bracketDepth(text, false);
  else if (format === 'yaml') {
    at = bracketDepth(text, true);
    if (at < 0) at = blockDepth(text, YAML_MARKERS);
  } else if (format === 'markdown') {
    at = blockDepth(text, MARKDOWN_MARKERS);
    if (at < 0) at = tagDepth(text); // its HTML blocks
    const run = at < 0 ? markerRun(text) : -1;
    if (run >= 0) throw tooMany(text, run);
  } else if (format === 'html') at = tagDepth(text);
  if (at >= 0) throw tooDeep(text, at, format === 'html' || text[at] === '<' ? MAX_HTML_NESTING : MAX_NESTING);
}
