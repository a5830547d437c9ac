// JSON and YAML files of templates: parse into one tree shape (with each string's place in the file),
// choose the strings that are reply text, and map each string's decoded value back onto its source —
// JSON escapes (\n, \uXXXX, surrogate pairs, \"), YAML quoting, escapes and block/folded scalars — so a
// finding inside a string points at the line and column in the file.
//
// Which strings: with field paths (field-path.ts), exactly those. Without, by the file's shape:
// - a Zendesk macros export (`{ macros: [...] }`, `{ macro: {...} }` or an array of macros): each
//   macro's `title` and the `value` of its actions whose `field` is `comment_value` or
//   `comment_value_html` (a `["channel:all", "text"]` value: its text);
// - an array of `{ id, title, body }`: `title` and `body`;
// - a dialogue (turns with a role and a text): the agents' turns, each with the conversation before it;
// - anything else (an i18n key → text map): every string value; keys are never linted.
// A string whose key (or whose action's `field`) ends in `html` is read as HTML.
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Node as YamlNode } from 'yaml';
import type { FieldPath } from './field-path.js';
import { extractHtml } from './html.js';
import { alignValue, compose, SegmentBuilder, type EscapeDecoder, type Segment } from './mapped.js';
import { AGENT_ROLES, CUSTOMER_ROLES, HEADER_NAMES, normalizeHeader } from '../audit/mapping.js';

export type TreeNode =
  | { kind: 'object'; entries: { key: string; value: TreeNode }[] }
  | { kind: 'array'; items: TreeNode[] }
  | { kind: 'string'; value: string; segment: () => Segment }
  | { kind: 'scalar'; value: unknown };

type StringNode = Extract<TreeNode, { kind: 'string' }>;

/** A file that does not parse: where and what, for a one-line message. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'TemplateSyntaxError';
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: Array.from(before[before.length - 1]!).length + 1 };
}

// ---------------------------------------------------------------------------------------------------
// JSON

const JSON_SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export const decodeJsonEscape: EscapeDecoder = (raw, at) => {
  if (raw[at] !== '\\') return undefined;
  const c = raw[at + 1] ?? '';
  if (c in JSON_SIMPLE_ESCAPES) return { text: JSON_SIMPLE_ESCAPES[c]!, length: 2 };
  // One \uXXXX is one UTF-16 code unit: a surrogate pair is two escapes, each mapped to its own.
  if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(at + 2, at + 6))) return { text: String.fromCharCode(parseInt(raw.slice(at + 2, at + 6), 16)), length: 6 };
  return undefined;
};

function jsonNode(node: JsonNode, text: string): TreeNode {
  switch (node.type) {
    case 'object':
      return {
        kind: 'object',
        entries: (node.children ?? []).map((p) => ({ key: String(p.children?.[0]?.value ?? ''), value: p.children?.[1] ? jsonNode(p.children[1], text) : { kind: 'scalar', value: undefined } })),
      };
    case 'array':
      return { kind: 'array', items: (node.children ?? []).map((c) => jsonNode(c, text)) };
    case 'string': {
      const value = node.value as string;
      return {
        kind: 'string',
        value,
        segment: () => {
          const b = new SegmentBuilder();
          alignValue(b, value, text, node.offset + 1, node.offset + node.length - 1, decodeJsonEscape);
          return b.build();
        },
      };
    }
    default:
      return { kind: 'scalar', value: node.value };
  }
}

export function parseJsonTree(text: string): TreeNode {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  if (errors.length > 0) {
    const e = errors[0]!;
    const at = lineColumn(text, e.offset);
    throw new TemplateSyntaxError(`invalid JSON (${printParseErrorCode(e.error)})`, at.line, at.column);
  }
  return root ? jsonNode(root, text) : { kind: 'scalar', value: undefined };
}

// ---------------------------------------------------------------------------------------------------
// YAML

const YAML_SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const YAML_HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

export const decodeYamlDoubleQuotedEscape: EscapeDecoder = (raw, at) => {
  if (raw[at] !== '\\') return undefined;
  const c = raw[at + 1] ?? '';
  if (c in YAML_SIMPLE_ESCAPES) return { text: YAML_SIMPLE_ESCAPES[c]!, length: 2 };
  const digits = YAML_HEX_ESCAPES[c];
  if (digits) {
    const hex = raw.slice(at + 2, at + 2 + digits);
    if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) return { text: String.fromCodePoint(parseInt(hex, 16)), length: 2 + digits };
  }
  // An escaped line break joins the lines: it and the next line's indentation stand for nothing.
  const lineBreak = /^\\(\r\n|\r|\n)[ \t]*/.exec(raw.slice(at, at + 200));
  if (lineBreak) return { text: '', length: lineBreak[0].length };
  return undefined;
};

const decodeYamlSingleQuotedEscape: EscapeDecoder = (raw, at) => (raw[at] === "'" && raw[at + 1] === "'" ? { text: "'", length: 2 } : undefined);

function yamlScalarSegment(node: Scalar, value: string, text: string): Segment {
  const [start, end] = node.range ?? [0, 0];
  const b = new SegmentBuilder();
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      alignValue(b, value, text, start + 1, end - 1, decodeYamlDoubleQuotedEscape);
      break;
    case Scalar.QUOTE_SINGLE:
      alignValue(b, value, text, start + 1, end - 1, decodeYamlSingleQuotedEscape);
      break;
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      // Skip the header (`|`, `>-`, `|2`, a comment): the content starts on the next line.
      const lineEnd = text.indexOf('\n', start);
      alignValue(b, value, text, lineEnd < 0 || lineEnd >= end ? start : lineEnd + 1, end);
      break;
    }
    default:
      alignValue(b, value, text, start, end);
  }
  return b.build();
}

function yamlNode(node: unknown, text: string): TreeNode {
  if (isMap(node)) {
    return {
      kind: 'object',
      entries: node.items.map((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        return { key, value: pair.value == null ? { kind: 'scalar', value: null } : yamlNode(pair.value, text) };
      }),
    };
  }
  if (isSeq(node)) return { kind: 'array', items: node.items.map((item) => yamlNode(item, text)) };
  if (isScalar(node) && typeof node.value === 'string') {
    const value = node.value;
    return { kind: 'string', value, segment: () => yamlScalarSegment(node, value, text) };
  }
  // An alias repeats a node linted where it is defined.
  if (isAlias(node)) return { kind: 'scalar', value: undefined };
  return { kind: 'scalar', value: isScalar(node) ? node.value : undefined };
}

/** Every document of a YAML stream (usually one); several documents are read as an array of them. */
export function parseYamlTree(text: string): TreeNode {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const e = doc.errors[0];
    if (e) {
      const at = e.linePos?.[0] ?? lineColumn(text, e.pos[0]);
      throw new TemplateSyntaxError(`invalid YAML (${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`, at.line, 'col' in at ? at.col : at.column);
    }
  }
  const trees = list.map((doc) => yamlNode(doc.contents as YamlNode | null, text));
  return trees.length === 1 ? trees[0]! : { kind: 'array', items: trees };
}

// ---------------------------------------------------------------------------------------------------
// Which strings

export interface SelectedString {
  node: StringNode;
  /** Where it sits: `macros[0].actions[2].value`. */
  route: string;
  html: boolean;
  /** For an agent's turn of a dialogue: the conversation before it (LintOptions). */
  context?: TurnContext;
}

/** The conversation before an agent's turn, as the engine reads it (LintOptions.precedingTurn, customerTurn). */
export interface TurnContext {
  precedingTurn?: string;
  customerTurn?: string;
}

const isObject = (n: TreeNode | undefined): n is Extract<TreeNode, { kind: 'object' }> => n?.kind === 'object';
const get = (n: TreeNode, key: string): TreeNode | undefined => (isObject(n) ? n.entries.find((e) => e.key === key)?.value : undefined);
const stringOf = (n: TreeNode | undefined): string | undefined => (n?.kind === 'string' ? n.value : undefined);
const isHtmlName = (name: string | undefined) => name !== undefined && /html$/i.test(name);
const keyRoute = (route: string, key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? (route ? `${route}.${key}` : key) : `${route}[${JSON.stringify(key)}]`);

/** Every string at or beneath `node`. */
function allStrings(node: TreeNode, route: string, html: boolean, out: SelectedString[]): void {
  if (node.kind === 'string') out.push({ node, route, html });
  else if (node.kind === 'array') node.items.forEach((item, i) => allStrings(item, `${route}[${i}]`, html, out));
  else if (node.kind === 'object') {
    const viaField = isHtmlName(stringOf(get(node, 'field')));
    for (const e of node.entries) allStrings(e.value, keyRoute(route, e.key), html || viaField || isHtmlName(e.key), out);
  }
}

const MACRO_TEXT_FIELDS = new Set(['comment_value', 'comment_value_html']);

function isMacro(n: TreeNode): boolean {
  return isObject(n) && get(n, 'actions')?.kind === 'array';
}

/** The Zendesk macros in a tree shaped like an export, with their routes; undefined if it is not one. */
function zendeskMacros(root: TreeNode): { macro: TreeNode; route: string }[] | undefined {
  const macros = get(root, 'macros');
  if (macros?.kind === 'array' && macros.items.some(isMacro)) return macros.items.map((macro, i) => ({ macro, route: `macros[${i}]` }));
  const single = get(root, 'macro');
  if (single && isMacro(single)) return [{ macro: single, route: 'macro' }];
  if (isMacro(root)) return [{ macro: root, route: '' }];
  if (root.kind === 'array' && root.items.length > 0 && root.items.every(isMacro)) return root.items.map((macro, i) => ({ macro, route: `[${i}]` }));
  return undefined;
}

function selectZendesk(macros: { macro: TreeNode; route: string }[]): SelectedString[] {
  const out: SelectedString[] = [];
  for (const { macro, route } of macros) {
    const title = get(macro, 'title');
    if (title?.kind === 'string') out.push({ node: title, route: keyRoute(route, 'title'), html: false });
    const actions = get(macro, 'actions');
    if (actions?.kind !== 'array') continue;
    actions.items.forEach((action, i) => {
      const field = stringOf(get(action, 'field'));
      if (!field || !MACRO_TEXT_FIELDS.has(field)) return;
      const value = get(action, 'value');
      const at = `${route}${route ? '.' : ''}actions[${i}].value`;
      const html = isHtmlName(field);
      if (value?.kind === 'string') out.push({ node: value, route: at, html });
      else if (value?.kind === 'array') {
        // Older exports: ["channel:all", "the text"].
        value.items.forEach((item, k) => {
          if (item.kind === 'string' && !/^channel:\w*$/.test(item.value)) out.push({ node: item, route: `${at}[${k}]`, html });
        });
      }
    });
  }
  return out;
}

const TEMPLATE_TEXT_KEYS = ['title', 'body', 'body_html'];

function isTemplateRecord(n: TreeNode): boolean {
  return isObject(n) && get(n, 'body') !== undefined;
}

/** Keys of a dialogue export's turns: the speaker's role, the text, and (when several dialogues) which one. */
const ROLE_KEYS = HEADER_NAMES.role;
const TURN_TEXT_KEYS = ['text', 'content', 'message', 'body', 'msg', 'utterance'];
const DIALOGUE_KEYS = HEADER_NAMES.conversation;
/** Where a dialogue's turns may sit in an object: { messages: [...] }. */
const TURN_LIST_KEYS = ['messages', 'turns', 'dialogue', 'dialog', 'conversation', 'transcript', 'chat', 'utterances'];

function keyOf(n: TreeNode, names: readonly string[]): string | undefined {
  return isObject(n) ? n.entries.find((e) => names.includes(normalizeHeader(e.key)))?.key : undefined;
}

/**
 * A dialogue export (an array of { role, text } turns, or { messages: [...] }): only the agents' turns are
 * reply text, each judged with the conversation before it — the customer's last message and the agent's
 * own messages just before — as `huashu audit` judges a transcript. Undefined when the file is not one.
 */
function dialogueTurns(root: TreeNode): SelectedString[] | undefined {
  let list = root;
  let route = '';
  if (isObject(root)) {
    const key = root.entries.find((e) => TURN_LIST_KEYS.includes(e.key.toLowerCase()) && e.value.kind === 'array')?.key;
    if (key === undefined) return undefined;
    list = get(root, key)!;
    route = keyRoute('', key);
  }
  if (list.kind !== 'array' || list.items.length === 0) return undefined;
  const turns = list.items.map((item) => {
    const roleKey = keyOf(item, ROLE_KEYS);
    const textKey = isObject(item) ? item.entries.find((e) => TURN_TEXT_KEYS.includes(e.key.toLowerCase()))?.key : undefined;
    const role = roleKey === undefined ? undefined : get(item, roleKey);
    const text = textKey === undefined ? undefined : get(item, textKey);
    const dialogueKey = keyOf(item, DIALOGUE_KEYS);
    const dialogue = dialogueKey === undefined ? undefined : get(item, dialogueKey);
    return {
      role: role?.kind === 'string' ? role.value.trim().toLowerCase() : undefined,
      text: text?.kind === 'string' ? text : undefined,
      textKey,
      dialogue: dialogue?.kind === 'string' || dialogue?.kind === 'scalar' ? String(dialogue.value) : undefined,
    };
  });
  // every turn has a role and a text, and the roles are speakers we know
  if (!turns.every((t) => t.role !== undefined && t.text !== undefined)) return undefined;
  if (!turns.some((t) => AGENT_ROLES.includes(t.role!)) || !turns.every((t) => AGENT_ROLES.includes(t.role!) || CUSTOMER_ROLES.includes(t.role!) || t.role === 'system')) return undefined;
  const out: SelectedString[] = [];
  let customerTurn: string | undefined;
  let agentRun: string[] = [];
  let dialogue: string | undefined;
  turns.forEach((t, i) => {
    if (t.dialogue !== dialogue) {
      customerTurn = undefined;
      agentRun = [];
      dialogue = t.dialogue;
    }
    const value = t.text!.value;
    if (CUSTOMER_ROLES.includes(t.role!)) {
      customerTurn = value;
      agentRun = [];
    } else if (AGENT_ROLES.includes(t.role!)) {
      const context: TurnContext = {};
      if (agentRun.length) context.precedingTurn = agentRun.join(' ');
      if (customerTurn !== undefined) context.customerTurn = customerTurn;
      out.push({ node: t.text!, route: `${route}[${i}].${t.textKey!}`, html: false, context });
      agentRun.push(value);
    }
  });
  return out;
}

/** What to lint in a template file when no field paths are given (see the top of this file). */
export function selectDefault(root: TreeNode): SelectedString[] {
  const turns = dialogueTurns(root);
  if (turns) return turns;
  const macros = zendeskMacros(root);
  if (macros) return selectZendesk(macros);
  if (root.kind === 'array' && root.items.length > 0 && root.items.every(isTemplateRecord)) {
    const out: SelectedString[] = [];
    root.items.forEach((item, i) => {
      for (const key of TEMPLATE_TEXT_KEYS) {
        const v = get(item, key);
        if (v) allStrings(v, `[${i}].${key}`, isHtmlName(key), out);
      }
    });
    return out;
  }
  const out: SelectedString[] = [];
  allStrings(root, '', false, out);
  return out;
}

interface Cursor {
  node: TreeNode;
  route: string;
  html: boolean;
}

/** The strings that field paths select, in file order of the paths' matches, each once. */
export function selectFields(root: TreeNode, paths: readonly FieldPath[]): SelectedString[] {
  const out: SelectedString[] = [];
  const seen = new Set<TreeNode>();
  for (const path of paths) {
    let cursors: Cursor[] = [{ node: root, route: '', html: false }];
    for (const step of path.steps) {
      const next: Cursor[] = [];
      for (const c of cursors) {
        const n = c.node;
        switch (step.type) {
          case 'key': {
            const v = get(n, step.name);
            if (v) next.push({ node: v, route: keyRoute(c.route, step.name), html: c.html || isHtmlName(step.name) });
            break;
          }
          case 'anyKey':
            if (isObject(n)) for (const e of n.entries) next.push({ node: e.value, route: keyRoute(c.route, e.key), html: c.html || isHtmlName(e.key) });
            break;
          case 'index':
            if (n.kind === 'array' && n.items[step.index]) next.push({ node: n.items[step.index]!, route: `${c.route}[${step.index}]`, html: c.html });
            break;
          case 'anyIndex':
            if (n.kind === 'array') n.items.forEach((item, i) => next.push({ node: item, route: `${c.route}[${i}]`, html: c.html }));
            break;
          case 'filter': {
            const matches = (item: TreeNode) => {
              const v = get(item, step.key);
              const s = v?.kind === 'string' ? v.value : v?.kind === 'scalar' ? String(v.value) : undefined;
              return s !== undefined && step.values.includes(s);
            };
            const withField = (item: TreeNode) => isHtmlName(stringOf(get(item, 'field')));
            if (n.kind === 'array') {
              n.items.forEach((item, i) => {
                if (matches(item)) next.push({ node: item, route: `${c.route}[${i}]`, html: c.html || withField(item) });
              });
            } else if (matches(n)) next.push({ ...c, html: c.html || withField(n) });
            break;
          }
        }
      }
      cursors = next;
    }
    for (const c of cursors) {
      const found: SelectedString[] = [];
      allStrings(c.node, c.route, c.html, found);
      for (const s of found) {
        if (seen.has(s.node)) continue;
        seen.add(s.node);
        out.push(s);
      }
    }
  }
  return out;
}

/** The text segments of the selected strings: HTML strings give their text nodes. */
export function segmentsOf(selected: readonly SelectedString[], scopesOf?: (node: TreeNode) => number[] | undefined): Segment[] {
  const out: Segment[] = [];
  for (const s of selected) {
    const scopes = scopesOf?.(s.node);
    const segment: Segment = { ...s.node.segment(), label: s.route, ...(scopes ? { scopes } : {}), ...(s.context ? { context: s.context } : {}) };
    if (s.html) out.push(...extractHtml(segment.text).map((inner) => compose(inner, segment)));
    else out.push(segment);
  }
  return out;
}

export type StructuredFormat = 'json' | 'yaml';

export interface StructuredOptions {
  /** Field paths; when absent or empty the strings are chosen by the file's shape. */
  fields?: readonly FieldPath[];
  /** Field scopes (a config's `overrides` with `fields`): each segment is told which of them select it. */
  scopes?: readonly (readonly FieldPath[])[];
}

/** Text segments of a JSON or YAML template file. Throws TemplateSyntaxError when the file does not parse. */
export function extractStructured(text: string, format: StructuredFormat, options: StructuredOptions = {}): Segment[] {
  const root = format === 'json' ? parseJsonTree(text) : parseYamlTree(text);
  const selected = options.fields?.length ? selectFields(root, options.fields) : selectDefault(root);
  if (!options.scopes?.length) return segmentsOf(selected);
  const inScope = options.scopes.map((paths) => new Set(selectFields(root, paths).map((s) => s.node)));
  return segmentsOf(selected, (node) => {
    const which = inScope.flatMap((nodes, i) => (nodes.has(node as StringNode) ? [i] : []));
    return which.length ? which : undefined;
  });
}
