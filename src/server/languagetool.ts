// LanguageTool's HTTP API (v2) on top of huashu: `POST /v2/check` and `GET /v2/languages`, so that
// LanguageTool clients (browser extensions with a custom server, LTeX, editor plugins) underline huashu's
// findings. Offsets and lengths are UTF-16 code units, as LanguageTool's are (and huashu's already are).
import type { Finding } from '../engine/findings.js';
import { detectScript, type Script } from '../normalize/index.js';
import { SegmentBuilder, type Segment } from '../inputs/mapped.js';
import { RequestError } from './linter.js';

export interface LanguageInfo {
  name: string;
  code: string;
  longCode: string;
  script: Script;
}

export const LANGUAGES: readonly LanguageInfo[] = [
  { name: 'Chinese (Simplified)', code: 'zh', longCode: 'zh-CN', script: 'simplified' },
  { name: 'Chinese (Taiwan)', code: 'zh', longCode: 'zh-TW', script: 'traditional-tw' },
  { name: 'Chinese (Hong Kong)', code: 'zh', longCode: 'zh-HK', script: 'traditional-hk' },
];

const BY_SCRIPT = new Map(LANGUAGES.map((l) => [l.script, l]));

/** What a check request asks for, from its form or JSON fields. */
export interface CheckRequest {
  /** The whole document: `text`, or the text and markup of `data` joined. */
  document: string;
  /** With `data`: the text parts as one segment, pointing into `document`. */
  segments?: Segment[];
  /** `auto`, or the language asked for. */
  language: LanguageInfo | 'auto';
  only: string[];
  disable: string[];
}

type Fields = (name: string) => unknown;

const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];

/** LanguageTool's `data`: `{"annotation":[{"text":"…"},{"markup":"<b>","interpretAs":"…"}]}`. */
function annotated(data: unknown): { document: string; segment: Segment } {
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new RequestError(400, 'data: not valid JSON');
    }
  }
  const annotation = (data as { annotation?: unknown } | null)?.annotation;
  if (!Array.isArray(annotation)) throw new RequestError(400, 'data: expected {"annotation": [{"text": …} or {"markup": …}, …]}');
  const parts: string[] = [];
  const builder = new SegmentBuilder();
  let at = 0;
  for (const [i, part] of annotation.entries()) {
    const p = part as { text?: unknown; markup?: unknown; interpretAs?: unknown } | null;
    if (p && typeof p.text === 'string') {
      builder.copy(p.text, at);
      parts.push(p.text);
      at += p.text.length;
    } else if (p && typeof p.markup === 'string') {
      // Markup is not linted; what it stands for (interpretAs: "\n\n" for a paragraph) keeps sentences apart.
      if (typeof p.interpretAs === 'string' && p.interpretAs) builder.span(p.interpretAs, at, at + p.markup.length);
      parts.push(p.markup);
      at += p.markup.length;
    } else throw new RequestError(400, `data: annotation[${i}] has neither a "text" nor a "markup" string`);
  }
  return { document: parts.join(''), segment: builder.build() };
}

function language(code: unknown): LanguageInfo | 'auto' {
  if (code === undefined || code === '' || code === 'auto' || code === 'zh') return 'auto';
  if (typeof code !== 'string') throw new RequestError(400, 'language: expected a string');
  const wanted = code.toLowerCase().replace('_', '-');
  const found = LANGUAGES.find((l) => l.longCode.toLowerCase() === wanted);
  if (found) return found;
  if (wanted === 'zh-hans' || wanted === 'zh-sg') return LANGUAGES[0]!;
  if (wanted === 'zh-hant' || wanted === 'zh-mo') return LANGUAGES[1]!;
  throw new RequestError(400, `language: '${code}' is not supported (huashu checks zh-CN, zh-TW, zh-HK or auto)`);
}

/**
 * The check request in `fields`. Rule names LanguageTool clients send (`disabledRules=WHITESPACE_RULE`)
 * that are not huashu's are left out, not refused: `known` says which are.
 */
export function parseCheck(fields: Fields, known: (name: string) => boolean): CheckRequest {
  const text = fields('text');
  const data = fields('data');
  let document: string;
  let segments: Segment[] | undefined;
  if (typeof text === 'string') document = text;
  else if (data !== undefined && data !== null) {
    const a = annotated(data);
    document = a.document;
    segments = [a.segment];
  } else throw new RequestError(400, 'missing "text" or "data"');
  const enabledOnly = fields('enabledOnly') === true || fields('enabledOnly') === 'true';
  const enabled = [...list(fields('enabledRules')), ...list(fields('enabledCategories')).map((c) => c.toLowerCase())].filter(known);
  const disable = [...list(fields('disabledRules')), ...list(fields('disabledCategories')).map((c) => c.toLowerCase())].filter(known);
  return { document, ...(segments ? { segments } : {}), language: language(fields('language')), only: enabledOnly ? enabled : [], disable };
}

const CATEGORY_NAMES: Record<string, Record<Script, string>> = {
  overpromise: { simplified: '过度承诺', 'traditional-tw': '過度承諾', 'traditional-hk': '過度承諾' },
  negative: { simplified: '负面措辞', 'traditional-tw': '負面措辭', 'traditional-hk': '負面措辭' },
  blame: { simplified: '推卸责任', 'traditional-tw': '推卸責任', 'traditional-hk': '推卸責任' },
};

const SENTENCE_END = /[。！？!?；;\n…]/;
const CONTEXT_CHARS = 40;

/** The sentence around [start, end): from after the previous sentence end to the next one, inclusive. */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < 1000 && !SENTENCE_END.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && to - end < 1000 && !SENTENCE_END.test(text[to]!)) to++;
  if (to < text.length && text[to] !== '\n') to++;
  return text.slice(from, to).trim();
}

/** LanguageTool's context: up to 40 code units either side, `...` where cut, line breaks as spaces. */
function contextAround(text: string, offset: number, length: number): { text: string; offset: number; length: number } {
  let from = Math.max(0, offset - CONTEXT_CHARS);
  let to = Math.min(text.length, offset + length + CONTEXT_CHARS);
  // Never split a surrogate pair.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from]!)) from--;
  if (to < text.length && /[\uDC00-\uDFFF]/.test(text[to]!)) to++;
  const head = from > 0 ? '...' : '';
  const tail = to < text.length ? '...' : '';
  return { text: head + text.slice(from, to).replace(/[\r\n]/g, ' ') + tail, offset: head.length + offset - from, length };
}

export interface CheckResponseOptions {
  version: string;
  document: string;
  findings: readonly Finding[];
  language: LanguageInfo | 'auto';
  /** The script detected in the document (for `auto` and `detectedLanguage`). */
  detected: Script;
}

export function detectLanguage(document: string): Script {
  return detectScript(document).script;
}

export function checkResponse({ version, document, findings, language, detected }: CheckResponseOptions) {
  const detectedInfo = BY_SCRIPT.get(detected)!;
  const lang = language === 'auto' ? detectedInfo : language;
  return {
    software: { name: 'huashu', version, buildDate: '', apiVersion: 1, premium: false, premiumHint: '', status: '' },
    warnings: { incompleteResults: false },
    language: {
      name: lang.name,
      code: lang.longCode,
      detectedLanguage: { name: detectedInfo.name, code: detectedInfo.longCode, confidence: 1, source: 'huashu' },
    },
    matches: findings.map((f) => {
      const category = CATEGORY_NAMES[f.category]?.[f.script] ?? f.category;
      return {
        message: f.message,
        shortMessage: category,
        replacements: f.suggestions.filter((s) => s.kind === 'replace').map((s) => ({ value: s.text })),
        offset: f.offset,
        length: f.length,
        context: contextAround(document, f.offset, f.length),
        sentence: sentenceAround(document, f.offset, f.offset + f.length),
        type: { typeName: 'Hint' },
        rule: {
          id: f.ruleId,
          description: f.message,
          issueType: 'style',
          category: { id: f.category.toUpperCase(), name: category },
        },
        ignoreForIncompleteSentence: false,
        contextForSureMatch: 0,
      };
    }),
  };
}

/** `GET /v2/languages`. */
export function languagesResponse() {
  return LANGUAGES.map(({ name, code, longCode }) => ({ name, code, longCode }));
}
