// Markdown: headings, paragraphs and list items are linted, one segment per block; code (fenced,
// indented, inline) is not; HTML blocks go through the HTML reader; front matter values are linted as
// YAML strings, its keys are not. Parsed by micromark (CommonMark) with positions, and every text node's
// value is mapped back onto its source (backslash escapes, character references, `> ` prefixes).
import { decodeHTMLStrict } from 'entities';
import type { Nodes, Parent, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { extractHtml } from './html.js';
import { alignValue, compose, SegmentBuilder, type EscapeDecoder, type Segment } from './mapped.js';
import { VALUE_MASK } from './placeholders.js';

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const CHARACTER_REFERENCE = /&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/y;

/** Backslash escapes (`\*`) and character references (`&amp;`, `&#x4fdd;`) as CommonMark reads them. */
export const decodeMarkdownEscape: EscapeDecoder = (raw, at) => {
  const ch = raw[at];
  if (ch === '\\' && ASCII_PUNCTUATION.test(raw[at + 1] ?? '')) return { text: raw[at + 1]!, length: 2 };
  if (ch === '&') {
    CHARACTER_REFERENCE.lastIndex = at;
    const m = CHARACTER_REFERENCE.exec(raw);
    if (m) {
      const text = decodeHTMLStrict(m[0]);
      if (text !== m[0]) return { text, length: m[0].length };
    }
  }
  return undefined;
};

type FrontMatterReader = (yaml: string, base: number) => Segment[];

function offsets(node: Nodes): [number, number] | undefined {
  const s = node.position?.start.offset;
  const e = node.position?.end.offset;
  return s === undefined || e === undefined ? undefined : [s, e];
}

/** The inline content of a paragraph or heading, as one segment. */
function inlineSegment(block: Parent, source: string): Segment {
  const b = new SegmentBuilder();
  const visit = (node: Nodes) => {
    const at = offsets(node);
    switch (node.type) {
      case 'text':
        if (at) alignValue(b, node.value, source, at[0], at[1], decodeMarkdownEscape);
        return;
      case 'inlineCode':
        // Code is not prose, but it stands in the sentence as a word.
        if (at) b.span(VALUE_MASK, at[0], at[1]);
        return;
      case 'break':
        if (at) b.span('\n', at[0], at[1]);
        return;
      case 'html':
        if (at && /^<br\b/i.test(node.value)) b.span('\n', at[0], at[1]);
        return;
      default:
        if ('children' in node) for (const child of node.children) visit(child as Nodes);
    }
  };
  for (const child of block.children) visit(child as Nodes);
  return b.build();
}

/** An HTML block: its value mapped to the source (block prefixes dropped), then its text nodes. */
function htmlBlockSegments(value: string, source: string, at: [number, number]): Segment[] {
  const b = new SegmentBuilder();
  alignValue(b, value, source, at[0], at[1]);
  const outer = b.build();
  return extractHtml(value).map((inner) => compose(inner, outer));
}

export function extractMarkdown(source: string, readFrontMatter?: FrontMatterReader): Segment[] {
  const tree: Root = fromMarkdown(source, { extensions: [frontmatter(['yaml', 'toml'])], mdastExtensions: [frontmatterFromMarkdown(['yaml', 'toml'])] });
  const segments: Segment[] = [];
  const visit = (node: Nodes) => {
    const at = offsets(node);
    switch (node.type) {
      case 'paragraph':
      case 'heading':
      case 'tableCell':
        segments.push(inlineSegment(node, source));
        return;
      case 'html':
        if (at) segments.push(...htmlBlockSegments(node.value, source, at));
        return;
      case 'yaml': {
        if (!at || !readFrontMatter) return;
        const base = source.indexOf(node.value, at[0]);
        if (base >= 0) segments.push(...readFrontMatter(node.value, base));
        return;
      }
      case 'code': // fenced and indented; TOML front matter is not a node type mdast knows by name
      case 'definition':
      case 'thematicBreak':
        return;
      default:
        if ('children' in node) for (const child of node.children) visit(child as Nodes);
    }
  };
  visit(tree);
  return segments;
}
