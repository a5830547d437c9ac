// Escaping for the XML formats (junit, checkstyle). XML 1.0 cannot hold most control characters or a
// lone surrogate at all, even escaped: those become U+FFFD.

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Character data: & < > escaped (> for `]]>`), characters XML cannot hold replaced. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!);
}

/** An attribute value in double quotes: also quotes and the whitespace a parser would otherwise normalize. */
export function xmlAttribute(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\n\r\t]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
