// Inline directives written in a file's own comments: `<!-- huashu-disable… -->` in Markdown and HTML,
// `# huashu-disable…` in YAML (and Markdown front matter). The readers drop comments from the text they
// lint, so the comments are found here, in the file, and applied to the findings once they point back
// at the file (lint-document.ts). JSON has no comments: a config's `overrides` with `fields` does it.
// Looked for only when the file mentions `huashu-` at all.
import { Parser as HtmlParser } from 'htmlparser2';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { Parser as YamlParser } from 'yaml';
import { parseDirectives, type Directive } from '../engine/directives.js';
import type { InputFormat } from './kinds.js';

/** The directives in the comments of `text` read as `format`, offsets into `text`, in order. */
export function fileDirectives(text: string, format: InputFormat): Directive[] {
  if (!text.includes('huashu-')) return [];
  let spans: [number, number][];
  switch (format) {
    case 'markdown':
      spans = markdownComments(text);
      break;
    case 'html':
      spans = htmlComments(text);
      break;
    case 'yaml':
      spans = yamlComments(text);
      break;
    default:
      return [];
  }
  const out: Directive[] = [];
  for (const [from, to] of spans) {
    for (const d of parseDirectives(text.slice(from, to))) out.push({ ...d, offset: d.offset + from });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Every comment of an HTML text: `<!-- … -->`. */
function htmlComments(html: string, base = 0): [number, number][] {
  const out: [number, number][] = [];
  const parser = new HtmlParser({
    oncomment() {
      out.push([base + parser.startIndex, base + parser.endIndex + 1]);
    },
  });
  parser.write(html);
  parser.end();
  return out;
}

/** HTML comments of a Markdown file (inline or block HTML nodes, never code), and its front matter's. */
function markdownComments(source: string): [number, number][] {
  const tree = fromMarkdown(source, { extensions: [frontmatter(['yaml', 'toml'])], mdastExtensions: [frontmatterFromMarkdown(['yaml', 'toml'])] });
  const out: [number, number][] = [];
  type Node = { type: string; value?: string; position?: { start: { offset?: number }; end: { offset?: number } }; children?: Node[] };
  const visit = (node: Node): void => {
    const from = node.position?.start.offset;
    const to = node.position?.end.offset;
    if (node.type === 'html' && from !== undefined && to !== undefined) out.push(...(htmlComments(source.slice(from, to), from)));
    else if (node.type === 'yaml' && from !== undefined && node.value !== undefined) {
      const base = source.indexOf(node.value, from);
      if (base >= 0) out.push(...(yamlComments(node.value, base)));
    } else for (const child of node.children ?? []) visit(child);
  };
  visit(tree as Node);
  return out;
}

/** Every `#` comment of a YAML stream, from its concrete syntax tree (a `#` inside a string is not one). */
function yamlComments(text: string, base = 0): [number, number][] {
  const out: [number, number][] = [];
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const t = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string' && text.startsWith(t.source, t.offset)) {
      out.push([base + t.offset, base + t.offset + t.source.length]);
      return;
    }
    for (const value of Array.isArray(node) ? node : Object.values(node)) walk(value);
  };
  for (const token of new YamlParser().parse(text)) walk(token);
  return out;
}
