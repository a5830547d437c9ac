// Template placeholders ({{ticket.requester.name}}, {% if %}, ${name}, %s …) and links are not the reply's words:
// before linting, each is masked so that it neither produces a finding (`{{保證金}}`, `%(一定)s`) nor
// hides one, and every other character keeps its file position.
//
// A *value* placeholder stands for a word (a name, an order number): it becomes one neutral character,
// U+FFFC OBJECT REPLACEMENT CHARACTER, which no rule matches and the segmenter keeps as a word of its
// own — so `我{{x}}保證` still finds 保證, and the window of an exception counts it as one character,
// as it would a short name. A *control* placeholder ({{#if}}, {{else}}, {% endif %}) separates text
// that is shown in different cases: it becomes a line break, so the branches of an if/else never
// excuse or join each other. The mask character maps to the whole placeholder in the file.
import { SegmentBuilder, type Segment } from './mapped.js';

export type PlaceholderKind = 'value' | 'control';

export interface PlaceholderPattern {
  name: string;
  /** Matched anywhere in the text; compiled with the `g` flag. */
  pattern: RegExp;
  /** `value` unless the match is a control tag (see `control`). */
  kind: PlaceholderKind | ((match: string) => PlaceholderKind);
}

export const VALUE_MASK = '\uFFFC';
export const CONTROL_MASK = '\n';

/** Handlebars/Mustache/Liquid tags that open, continue or close a block, or are comments. */
const MUSTACHE_CONTROL = /^\{\{\{?~?\s*[#/^!>]|^\{\{~?\s*else\b/;

/**
 * The built-in patterns, tried in this order at each position (longer forms first). Config can add its
 * own with `placeholderPatterns(extra)`.
 */
export const DEFAULT_PLACEHOLDER_PATTERNS: readonly PlaceholderPattern[] = [
  // {{{raw}}}, {{ticket.requester.name}}, {{#if x}}, {{/if}}, {{else}}, {{! comment }}, {{ x | filter }}
  { name: 'mustache', pattern: /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g, kind: (m) => (MUSTACHE_CONTROL.test(m) ? 'control' : 'value') },
  // Liquid / Jinja tags and comments: {% if %}, {%- endif -%}, {# note #}
  { name: 'liquid-tag', pattern: /\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g, kind: 'control' },
  // ${name}, ${user.name}
  { name: 'dollar-brace', pattern: /\$\{[^{}\n]*\}/g, kind: 'value' },
  // {name}, {0}, {user.first_name}, {客戶姓名}: one word without spaces (`{a: 1}` stays text)
  { name: 'brace', pattern: /\{[^{}\s]{1,40}\}/g, kind: 'value' },
  // %(name)s, %(count)d
  { name: 'printf-named', pattern: /%\([^()\n]{1,40}\)[-+#0-9.]*[sdifrxXeEgGc]/g, kind: 'value' },
  // %s, %d, %1$s, %@ — but not %% (a literal percent sign), and no space flag: 50% done is text
  { name: 'printf', pattern: /(?<!%)%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdif@]/g, kind: 'value' },
  // https://example.com/您的投诉: a link is not the reply's wording, whatever its path says. It runs to
  // whitespace or CJK punctuation, and a final ASCII full stop, comma or bracket is the sentence's.
  { name: 'url', pattern: /\b(?:https?|ftp):\/\/[^\s<>"'`，。！？、；：（）「」『』【】《》]*[^\s<>"'`，。！？、；：（）「」『』【】《》.,;:!?)\]}]/g, kind: 'value' },
];

const URL_PATTERN = DEFAULT_PLACEHOLDER_PATTERNS.find((p) => p.name === 'url')!.pattern;

/**
 * `text` with its links blanked out position for position — each UTF-16 unit becomes the mask character,
 * a surrogate pair one astral private-use character — so offsets, lengths and columns stay those of
 * `text`. For callers that lint raw text without an offset map (audit).
 */
export function blankUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_PATTERN, (url) => url.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^]/g, (c) => (c.length === 2 ? '\u{F0000}' : VALUE_MASK)));
}

/**
 * The built-in patterns plus extra ones given as regular-expression sources (from a config file).
 * An extra pattern masks a value unless `kind` says otherwise. Throws on an invalid expression.
 */
export function placeholderPatterns(extra: readonly (string | { pattern: string; kind?: PlaceholderKind; name?: string })[] = []): PlaceholderPattern[] {
  const added = extra.map((e, i): PlaceholderPattern => {
    const spec = typeof e === 'string' ? { pattern: e } : e;
    return { name: spec.name ?? `custom-${i + 1}`, pattern: new RegExp(spec.pattern, 'gu'), kind: spec.kind ?? 'value' };
  });
  // Custom patterns first: a team's own syntax wins over the generic `{name}`.
  return [...added, ...DEFAULT_PLACEHOLDER_PATTERNS];
}

export interface PlaceholderMatch {
  start: number;
  end: number;
  kind: PlaceholderKind;
  name: string;
}

/** Non-overlapping placeholders in `text`, left to right; at one position the earlier pattern wins. */
export function findPlaceholders(text: string, patterns: readonly PlaceholderPattern[] = DEFAULT_PLACEHOLDER_PATTERNS): PlaceholderMatch[] {
  const found: (PlaceholderMatch & { order: number })[] = [];
  patterns.forEach((p, order) => {
    const re = p.pattern.global ? p.pattern : new RegExp(p.pattern.source, p.pattern.flags + 'g');
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      if (m[0].length === 0) continue;
      const kind = typeof p.kind === 'function' ? p.kind(m[0]) : p.kind;
      found.push({ start: m.index, end: m.index + m[0].length, kind, name: p.name, order });
    }
  });
  found.sort((a, b) => a.start - b.start || a.order - b.order || b.end - a.end);
  const out: PlaceholderMatch[] = [];
  let end = 0;
  for (const f of found) {
    if (f.start < end) continue;
    out.push({ start: f.start, end: f.end, kind: f.kind, name: f.name });
    end = f.end;
  }
  return out;
}

/** The segment with every placeholder replaced by its mask character, mapped to the whole placeholder. */
export function maskPlaceholders(segment: Segment, patterns: readonly PlaceholderPattern[] = DEFAULT_PLACEHOLDER_PATTERNS): Segment {
  const matches = findPlaceholders(segment.text, patterns);
  if (matches.length === 0) return segment;
  const b = new SegmentBuilder();
  const { text, starts, ends } = segment;
  let at = 0;
  const keep = (from: number, to: number) => {
    for (let i = from; i < to; i++) b.span(text[i]!, starts[i]!, ends[i]!);
  };
  for (const m of matches) {
    keep(at, m.start);
    b.span(m.kind === 'control' ? CONTROL_MASK : VALUE_MASK, starts[m.start]!, ends[m.end - 1]!);
    at = m.end;
  }
  keep(at, text.length);
  return b.build(segment.label);
}
