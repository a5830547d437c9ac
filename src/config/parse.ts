// Parse and validate one config file (huashu.config.yaml, .huashurc.yaml or .huashurc.json — JSON is
// read by the same YAML parser, so errors have positions too). Pure: the caller reads the file.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { didYouMean, RuleError } from '../rules/errors.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import { scoringFrom, type ScoringModel } from '../audit/scoring.js';
import { FieldPathError, parseFieldPath } from '../inputs/field-path.js';

/** Config file names, looked for in this order in each folder from the linted file's upward. */
export { CONFIG_FILES, isPackText } from './files.js';

export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = [...SEVERITIES, 'off'];

const CONFIG_KEYS = ['extends', 'rules', 'dictionary', 'ignore', 'placeholders', 'audit', 'documents', 'overrides'];
/** Keys accepted and ignored: `$schema` points editors at schemas/config.schema.json. */
const IGNORED_KEYS = ['$schema'];
const OVERRIDE_KEYS = ['files', 'fields', 'rules'];

/** Where a value was written, for errors that point at it. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

export interface ConfigSpec {
  file: string;
  /** Presets (huashu:…), local packs or configs (./…), npm packages; undefined: not given. */
  extends?: { name: string; at: Origin }[];
  /** Severity overrides, in the order written: rule id, category, pack name or prefix/*. */
  rules: { selector: string; setting: RuleSetting; at: Origin }[];
  /** Extra words for segmentation: `word` or `word tag`. */
  dictionary: string[];
  /** Globs of files not to lint, relative to the config file's folder. */
  ignore: string[];
  /** Regular expressions for template variables ({{name}}, ${order_id}, …). */
  placeholders: string[];
  /** Where each of `placeholders` is written. */
  placeholdersAt?: Origin[];
  /** `audit:` settings (huashu audit): the scoring model (audit/scoring.ts). */
  audit?: { scoring?: ScoringModel; at: Origin };
  /** The team's own training documents (Markdown, text, HTML), relative to the config file's folder. */
  documents?: string[];
  /** Rule settings for the files matching `files` (globs relative to the config's folder), in order. */
  overrides?: OverrideSpec[];
}

export interface OverrideSpec {
  files: string[];
  /** Only the strings of JSON/YAML files (and front matter) that these field paths select. */
  fields?: string[];
  rules: { selector: string; setting: RuleSetting; at: Origin }[];
  at: Origin;
}

/**
 * Could this text be a config: empty (comments only), or with one of the config keys at the top? An
 * `extends` target that is neither a pack nor this is refused without quoting it.
 */
export function looksLikeConfig(text: string): boolean {
  if (/^\s*$/.test(text.replace(/^\s*#.*$/gm, ''))) return true;
  const keys = [...CONFIG_KEYS, '\\$schema'].join('|');
  return new RegExp(`^\\s*["']?(?:${keys})["']?\\s*:|^\\s*\\{\\s*["']?(?:${keys})["']?\\s*:`, 'm').test(text);
}

export function parseConfig(text: string, file: string): ConfigSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const origin = (node: Node | null | undefined): Origin => {
    const at = node?.range?.[0];
    const pos = at === undefined ? { line: 1, col: 1 } : lines.linePos(at);
    return { file, line: pos.line, column: pos.col };
  };
  const error = (node: Node | null | undefined, message: string) => {
    const at = origin(node);
    return new RuleError(message, file, at.line, at.column);
  };
  const first = doc.errors[0];
  if (first) {
    const at = lines.linePos(first.pos[0]);
    throw new RuleError(`invalid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${first.message.split('\n')[0]}`, file, at.line, at.col);
  }
  const root = doc.contents;
  const spec: ConfigSpec = { file, rules: [], dictionary: [], ignore: [], placeholders: [] };
  if (root === null || (isScalar(root) && root.value === null)) return spec; // an empty config: the defaults
  if (!isMap(root)) throw error(root, `a config must be a mapping (${CONFIG_KEYS.join(', ')})`);

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (IGNORED_KEYS.includes(key)) continue;
    if (!CONFIG_KEYS.includes(key)) {
      // Quote a key only when it looks like one: the file may be something else entirely (/etc/shadow).
      const shown = /^[\w.-]{1,40}$/.test(key) ? ` '${key}'` : '';
      throw error(pair.key as Node, `unknown key${shown} in config${shown && didYouMean(key, CONFIG_KEYS)} (allowed: ${CONFIG_KEYS.join(', ')})`);
    }
  }

  const list = (key: string, map: YAMLMap = root): { value: string; node: Node }[] | undefined => {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    const items = isSeq(node) ? (node.items as Node[]) : key === 'extends' ? [node] : undefined;
    if (!items) throw error(node, `'${key}' must be a list of strings`);
    return items.map((item) => {
      if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number') || String(item.value).trim() === '') {
        throw error(item, `every item of '${key}' must be a non-empty string`);
      }
      return { value: String(item.value), node: item };
    });
  };

  const ext = list('extends');
  if (ext) spec.extends = ext.map(({ value, node }) => ({ name: value, at: origin(node) }));

  const settings = (map: YAMLMap, where: string): ConfigSpec['rules'] => {
    const out: ConfigSpec['rules'] = [];
    const rulesNode = map.get('rules', true) as Node | undefined;
    if (rulesNode === undefined || (isScalar(rulesNode) && rulesNode.value === null)) return out;
    if (!isMap(rulesNode)) throw error(rulesNode, `'${where}' must be a mapping of rule id (or category, pack, prefix/*) to ${RULE_SETTINGS.join(' | ')}`);
    for (const pair of (rulesNode as YAMLMap).items) {
      const keyNode = pair.key as Node;
      const selector = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const valueNode = pair.value as Node | null;
      const raw = isScalar(valueNode) ? valueNode.value : undefined;
      // `false` is accepted for off, as in other linters' configs.
      const setting = raw === false ? 'off' : String(raw);
      if (!RULE_SETTINGS.includes(setting as RuleSetting)) {
        throw error(valueNode ?? keyNode, `${where}: '${selector}' must be one of ${RULE_SETTINGS.join(' | ')}, not '${setting}'${didYouMean(setting, RULE_SETTINGS)}`);
      }
      out.push({ selector, setting: setting as RuleSetting, at: origin(keyNode) });
    }
    return out;
  };
  spec.rules = settings(root, 'rules');

  const overridesNode = root.get('overrides', true) as Node | undefined;
  if (overridesNode !== undefined && !(isScalar(overridesNode) && overridesNode.value === null)) {
    if (!isSeq(overridesNode)) throw error(overridesNode, "'overrides' must be a list of { files, fields?, rules }");
    spec.overrides = (overridesNode.items as Node[]).map((item, i) => {
      const where = `overrides[${i}]`;
      if (!isMap(item)) throw error(item, `${where} must be a mapping with 'files' and 'rules'`);
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!OVERRIDE_KEYS.includes(key)) {
          const shown = /^[\w.$-]{1,40}$/.test(key) ? ` '${key}'` : '';
          throw error(pair.key as Node, `unknown key${shown} in ${where}${shown && didYouMean(key, OVERRIDE_KEYS)} (allowed: ${OVERRIDE_KEYS.join(', ')})`);
        }
      }
      const files = list('files', item);
      if (!files?.length) throw error(item, `${where}: 'files' must list at least one glob`);
      const fields = list('fields', item);
      for (const f of fields ?? []) {
        try {
          parseFieldPath(f.value);
        } catch (e) {
          if (e instanceof FieldPathError) throw error(f.node, `${where}: ${e.message}`);
          throw e;
        }
      }
      return {
        files: files.map((f) => f.value),
        ...(fields?.length ? { fields: fields.map((f) => f.value) } : {}),
        rules: settings(item, `${where}.rules`),
        at: origin(item),
      };
    });
  }

  spec.dictionary = (list('dictionary') ?? []).map(({ value, node }) => {
    const parts = value.trim().split(/\s+/);
    if (parts.length > 2 || (parts[1] !== undefined && !/^[a-z]+$/.test(parts[1]))) {
      throw error(node, `dictionary: '${value}' must be a word, or a word and a part-of-speech tag ('小米手機 nz')`);
    }
    return value.trim();
  });
  spec.ignore = (list('ignore') ?? []).map(({ value }) => value);
  const documents = list('documents');
  if (documents) spec.documents = documents.map(({ value }) => value);
  const placeholders = list('placeholders') ?? [];
  spec.placeholdersAt = placeholders.map(({ node }) => origin(node));
  spec.placeholders = placeholders.map(({ value, node }) => {
    try {
      new RegExp(value, 'u');
    } catch (e) {
      throw error(node, `placeholders: invalid regular expression: ${(e as Error).message}`);
    }
    return value;
  });
  const auditNode = root.get('audit', true) as Node | undefined;
  if (auditNode !== undefined && !(isScalar(auditNode) && auditNode.value === null)) {
    if (!isMap(auditNode)) throw error(auditNode, "'audit' must be a mapping (scoring)");
    for (const pair of (auditNode as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key !== 'scoring') throw error(pair.key as Node, `unknown key '${key}' in audit (allowed: scoring)`);
    }
    const scoringNode = (auditNode as YAMLMap).get('scoring', true) as Node | undefined;
    const at = (path: (string | number)[]) => ((path.length ? (auditNode as YAMLMap).getIn(['scoring', ...path], true) : scoringNode) as Node | undefined) ?? scoringNode ?? auditNode;
    const scoring = scoringFrom(scoringNode?.toJSON(), (path, message) => {
      // A key that is wrong points at the key; a value that is wrong, at the value.
      const node = at(path);
      const parent = path.length ? at(path.slice(0, -1)) : undefined;
      const keyNode = parent && isMap(parent) ? (parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]))?.key as Node | undefined) : undefined;
      throw error(message.startsWith('unknown key') || message.includes('is not a severity') ? (keyNode ?? node) : node, message);
    });
    spec.audit = { scoring, at: origin(scoringNode ?? auditNode) };
  }
  return spec;
}
