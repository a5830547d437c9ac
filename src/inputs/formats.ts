// Which reader a file gets, by its name, and the one entry point that turns a file's text into the text
// segments to lint (each with its map back to the file).
import type { FieldPath } from './field-path.js';
import { extractHtml } from './html.js';
import { identitySegment, shiftSegment, type Segment } from './mapped.js';
import { extractMarkdown } from './markdown.js';
import { checkNesting } from './nesting.js';
import type { InputFormat } from './kinds.js';
import { extractStructured, parseYamlTree, selectDefault, segmentsOf, TemplateSyntaxError } from './structured.js';

export { formatOf, FORMAT_BY_EXTENSION, INPUT_FORMATS, type InputFormat } from './kinds.js';

export interface ExtractOptions {
  /** Field paths for JSON and YAML files (see field-path.ts); default: by the file's shape. */
  fields?: readonly FieldPath[];
  /** Field scopes of a config's `overrides` (JSON and YAML): see structured.ts. */
  scopes?: readonly (readonly FieldPath[])[];
}

/** Front matter values are read like an i18n YAML file: every string value, keys never. */
function frontMatter(text: string, yaml: string, base: number): Segment[] {
  try {
    return segmentsOf(selectDefault(parseYamlTree(yaml))).map((s) => shiftSegment(s, base));
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    const linesBefore = text.slice(0, base).split(/\r\n|\r|\n/).length - 1;
    throw new TemplateSyntaxError(`${e.reason} in the front matter`, e.line + linesBefore, e.column);
  }
}

/**
 * The segments of `text` to lint. Offsets in the segments' maps are into `text`. Throws
 * TemplateSyntaxError for a JSON or YAML file (or front matter) that does not parse.
 */
export function extractSegments(text: string, format: InputFormat, options: ExtractOptions = {}): Segment[] {
  checkNesting(text, format);
  switch (format) {
    case 'markdown':
      return extractMarkdown(text, (yaml, base) => frontMatter(text, yaml, base));
    case 'html':
      return extractHtml(text);
    case 'json':
    case 'yaml':
      return extractStructured(text, format, { fields: options.fields, scopes: options.scopes });
    default:
      return [identitySegment(text)];
  }
}
