// HTML (Freshdesk-style canned responses, `comment_value_html`): the text nodes only, one segment per
// block (a paragraph, a list item, a table cell), entities decoded and mapped back to their source.
// Scripts, styles and code are not text; attributes are not linted.
import { Parser } from 'htmlparser2';
import { SegmentBuilder, type Segment } from './mapped.js';

/** Elements that start a new block of text: what is inside one is linted as one piece. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hr', 'html',
  'li', 'main', 'nav', 'ol', 'option', 'p', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead',
  'title', 'tr', 'ul',
]);

/** Elements whose content is not prose. */
const SKIPPED_ELEMENTS = new Set(['script', 'style', 'template', 'code', 'pre', 'noscript', 'svg', 'math']);

/**
 * Text segments of an HTML document or fragment; offsets are into `html`.
 * Source line breaks and tabs inside text become spaces (HTML renders them so); `<br>` is a line break.
 */
export function extractHtml(html: string): Segment[] {
  const segments: Segment[] = [];
  let current = new SegmentBuilder();
  let skipDepth = 0;
  const flush = () => {
    if (current.length > 0) segments.push(current.build());
    current = new SegmentBuilder();
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth++;
        else if (name === 'br' && skipDepth === 0) current.span('\n', parser.startIndex, parser.endIndex + 1);
        else if (BLOCK_ELEMENTS.has(name)) flush();
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) flush();
      },
      ontext(text) {
        if (skipDepth > 0) return;
        const from = parser.startIndex;
        const to = parser.endIndex + 1;
        const shown = text.replace(/[\r\n\t]/g, ' ');
        // Plain text maps one to one; a decoded entity (&amp;, &#x4fdd;) stands for its whole source.
        if (html.slice(from, to) === text) current.copy(shown, from);
        else current.span(shown, from, to);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return segments;
}
