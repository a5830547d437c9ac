// Parse and validate one rule pack (YAML text) into RuleSpecs, with file:line:column errors that say
// what is wrong and how to fix it. Pure: the caller reads the file.
import { resolveSource } from '../explain/sources.js';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { didYouMean, RuleError } from './errors.js';
import { AFTER_FRAMES, BEFORE_FRAMES, type FitSpec } from '../suggest/frames.js';
import { PACK_LIMITS } from './limits.js';
import { normalize } from '../normalize/index.js';
import { parseSequence, SequenceSyntaxError } from './sequence.js';
import {
  isRegexItem,
  LACKS_SCOPES,
  RULE_KINDS,
  SEVERITIES,
  type PackSpec,
  type RegexSource,
  type RuleKind,
  type RuleSpec,
  type Severity,
  type SourceRef,
  type SafeGuard,
  type SuggestionSpec,
  type UnlessSpec,
  type LacksSpec,
  type WhenSpec,
  type SpeechAct,
  type Subject,
  SPEECH_ACTS,
  SUBJECTS,
} from './types.js';

// `$schema` (schemas/pack.schema.json) is accepted for editors and otherwise ignored.
const PACK_KEYS = ['pack', 'description', 'words', 'rules', '$schema'];
/** A named word list (`words:`), used in a pattern as {name}. */
const WORD_LIST_NAME = /^[a-z][a-z0-9-]*$/;
/** {name} in a regular expression: not a quantifier ({2}, {0,8}), which starts with a digit. */
const WORD_LIST_REF = /(?<!\\)\{([a-z][a-z0-9-]*)\}/g;
const RULE_KEYS = ['id', 'kind', 'category', 'severity', 'message', 'description', 'why', 'match', 'boundary', 'when', 'unless', 'lacks', 'suggest', 'examples'];
const MATCH_KEYS = ['phrases', 'patterns', 'sequences', 'model', 'threshold'];
const LACKS_KEYS = ['scope', 'words'];
const EXAMPLE_ITEM_KEYS = ['text', 'span'];
const UNLESS_KEYS = ['before', 'after', 'clause', 'sentence', 'line', 'window', 'act', 'subject', 'alternative', 'hedged', 'help'];
const WHEN_KEYS = ['act', 'subject', 'alternative', 'hedged', 'help'];
const SUGGEST_KEYS = ['kind', 'text', 'source', 'safe', 'guard', 'fits', 'examples', 'misfits'];
const GUARD_KEYS = ['excerpt', 'before', 'after', 'unless'];
const GUARD_UNLESS_KEYS = ['before', 'after'];
const FIT_KEYS = ['after', 'before', 'notAfter', 'notBefore', 'subject'];
const SOURCE_KEYS = ['doc', 'section'];
const WHY_KEYS = ['quote', 'source'];
const EXAMPLE_KEYS = ['bad', 'good'];
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

/**
 * Limits for packs from colleagues or the web: far above any real pack (the built-in ones are ~15 kB with
 * under 10 rules each, their longest pattern ~650 characters), low enough that a hostile or broken
 * pack is refused quickly instead of eating memory or time.
 */

export { PACK_LIMITS } from './limits.js';

class PackReader {
  private readonly lines = new LineCounter();
  /** The pack's named word lists, as regular-expression alternations. */
  private readonly wordLists = new Map<string, string>();
  constructor(
    private readonly file: string,
    readonly text: string,
  ) {}

  parse(): PackSpec {
    if (this.text.length > PACK_LIMITS.bytes) {
      throw new RuleError(`rule pack too large (${this.text.length} characters; at most ${PACK_LIMITS.bytes}): split it into several packs`, this.file);
    }
    const doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const at = this.lines.linePos(first.pos[0]);
      // The YAML parser recurses per nesting level: a pack of 100,000 '[' overflows its stack.
      const message = /call stack/i.test(first.message) ? `YAML nested too deeply (at most ${PACK_LIMITS.depth} levels)` : `invalid YAML: ${first.message.split('\n')[0]}`;
      throw new RuleError(message, this.file, at.line, at.col);
    }
    this.checkStructure(doc.contents as Node | null);
    const root = doc.contents;
    if (!isMap(root)) throw this.error(root, 'a rule pack must be a mapping with `pack:` and `rules:`');
    this.checkKeys(root, PACK_KEYS, 'pack');
    const pack = this.string(root, 'pack', true)!;
    this.readWordLists(root.get('words', true) as Node | undefined);
    const rulesNode = root.get('rules', true) as Node | undefined;
    if (!isSeq(rulesNode)) throw this.error(rulesNode ?? root, '`rules:` must be a list of rules');
    if (rulesNode.items.length > PACK_LIMITS.rules) {
      throw this.error(rulesNode, `too many rules (${rulesNode.items.length}; at most ${PACK_LIMITS.rules} in one pack): split it into several packs`);
    }
    const rules: RuleSpec[] = [];
    const seen = new Map<string, number>();
    for (const item of rulesNode.items as Node[]) {
      const rule = this.rule(item, pack);
      const prev = seen.get(rule.id);
      if (prev !== undefined) throw this.error(item, `duplicate rule id '${rule.id}' (first defined on line ${prev})`);
      seen.set(rule.id, rule.location.line);
      rules.push(rule);
    }
    return { pack, description: this.string(root, 'description'), file: this.file, rules };
  }

  /**
   * Refuse aliases (`*name`: a few lines of them expand to billions of nodes, "billion laughs") and deep
   * nesting before reading any value. Walks with an explicit stack, so depth cannot overflow it.
   */
  private checkStructure(root: Node | null): void {
    const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (isAlias(node)) throw this.error(node, `YAML aliases (*${node.source}) are not allowed in rule packs: write the values out`);
      if (isPair(node)) {
        stack.push({ node: node.key, depth }, { node: node.value, depth });
      } else if (isMap(node) || isSeq(node)) {
        if (depth >= PACK_LIMITS.depth) throw this.error(node, `YAML nested too deeply (at most ${PACK_LIMITS.depth} levels)`);
        for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      }
    }
  }

  private position(node: Node | null | undefined): { line: number; col: number } {
    const at = node?.range?.[0];
    return at === undefined ? { line: 1, col: 1 } : this.lines.linePos(at);
  }

  error(node: Node | null | undefined, message: string): RuleError {
    const at = this.position(node);
    return new RuleError(message, this.file, at.line, at.col);
  }

  private checkKeys(map: YAMLMap, allowed: readonly string[], where: string): void {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!allowed.includes(key)) {
        throw this.error(pair.key as Node, `unknown key '${key}' in ${where}${didYouMean(key, allowed)} (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  private string(map: YAMLMap, key: string, required = false, where = 'pack'): string | undefined {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) {
      if (required) throw this.error(map, `${where}: missing required key '${key}'`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      throw this.error(node, `${where}: '${key}' must be a non-empty string`);
    }
    return node.value;
  }

  private stringList(map: YAMLMap, key: string, where: string): string[] | undefined {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined) return undefined;
    if (!isSeq(node)) throw this.error(node, `${where}: '${key}' must be a list of strings`);
    return (node.items as Node[]).map((item) => {
      if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number') || String(item.value) === '') {
        throw this.error(item, `${where}: every item of '${key}' must be a non-empty string`);
      }
      return String(item.value);
    });
  }

  private oneOf<T extends string>(map: YAMLMap, key: string, allowed: readonly T[], fallback: T | undefined, where: string): T {
    const value = this.string(map, key, fallback === undefined, where) ?? fallback!;
    if (!allowed.includes(value as T)) {
      const node = map.get(key, true) as Node;
      throw this.error(node, `${where}: '${key}' must be one of ${allowed.join(' | ')}, not '${value}'${didYouMean(value, allowed)}`);
    }
    return value as T;
  }

  private source(node: Node | undefined, where: string): SourceRef | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) throw this.error(node, `${where}: 'source' must be a mapping { doc, section }`);
    this.checkKeys(node, SOURCE_KEYS, `${where} source`);
    return resolveSource({ doc: this.string(node, 'doc', true, where)!, section: this.string(node, 'section', true, where)! });
  }

  private rule(node: Node, pack: string): RuleSpec {
    if (!isMap(node)) throw this.error(node, 'each rule must be a mapping');
    const rawId = node.get('id');
    const where = typeof rawId === 'string' ? `rule '${rawId}'` : 'rule';
    this.checkKeys(node, RULE_KEYS, where);
    const id = this.string(node, 'id', true, where)!;
    if (!ID_PATTERN.test(id)) throw this.error(node.get('id', true) as Node, `${where}: id must be lower-case words separated by '-' and '/', e.g. overpromise/guarantee`);
    const kind: RuleKind = this.oneOf(node, 'kind', RULE_KINDS, 'phrase', where);
    const severity: Severity = this.oneOf(node, 'severity', SEVERITIES, 'warning', where);
    const category = this.string(node, 'category', true, where)!;
    const message = this.string(node, 'message', true, where)!;

    const matchNode = node.get('match', true) as Node | undefined;
    if (!isMap(matchNode)) throw this.error(matchNode ?? node, `${where}: 'match' must be a mapping with 'phrases', 'patterns' and/or 'sequences'`);
    this.checkKeys(matchNode, MATCH_KEYS, `${where} match`);
    const phrases = this.stringList(matchNode, 'phrases', where);
    const patterns = this.stringList(matchNode, 'patterns', where)?.map((p, i) => this.expand(p, seqItems(matchNode, 'patterns')[i], where));
    const sequences = this.stringList(matchNode, 'sequences', where);
    if (kind === 'phrase' && !phrases?.length) throw this.error(matchNode, `${where}: a phrase rule needs 'match.phrases'`);
    if (kind === 'pattern' && !patterns?.length) throw this.error(matchNode, `${where}: a pattern rule needs 'match.patterns'`);
    if (kind === 'sequence' && !sequences?.length) throw this.error(matchNode, `${where}: a sequence rule needs 'match.sequences'`);
    let classifier: { model: string; threshold: number } | undefined;
    if (kind === 'classifier') {
      const model = this.string(matchNode, 'model', true, where)!;
      const thresholdNode = matchNode.get('threshold', true) as Node | undefined;
      const threshold = isScalar(thresholdNode) ? thresholdNode.value : undefined;
      if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
        throw this.error(thresholdNode ?? matchNode, `${where}: a classifier rule needs 'match.threshold', a number between 0 and 1`);
      }
      if (phrases || patterns || sequences) throw this.error(matchNode, `${where}: a classifier rule matches with its model only (no phrases, patterns or sequences)`);
      classifier = { model, threshold };
    } else if (matchNode.has('model') || matchNode.has('threshold')) {
      throw this.error(matchNode, `${where}: 'model' and 'threshold' are only for kind: classifier`);
    }
    if (kind === 'absence' && !(phrases?.length || patterns?.length || sequences?.length)) {
      throw this.error(matchNode, `${where}: an absence rule needs a trigger in 'match' (phrases, patterns or sequences)`);
    }
    const regexes: RegexSource[] = [];
    for (const [i, p] of (patterns ?? []).entries()) {
      const item = seqItems(matchNode, 'patterns')[i];
      if (p.length > PACK_LIMITS.regexLength) throw this.error(item, `${where}: regular expression too long (${p.length} characters; at most ${PACK_LIMITS.regexLength}): use 'phrases' for word lists`);
      try {
        new RegExp(p, 'u');
      } catch (e) {
        throw this.error(item, `${where}: invalid regular expression: ${(e as Error).message}`);
      }
      regexes.push(this.regexSource(p, 'match.patterns', item));
    }
    for (const [i, p] of (sequences ?? []).entries()) {
      const item = seqItems(matchNode, 'sequences')[i];
      let parsed;
      try {
        parsed = parseSequence(p, (s) => s);
      } catch (e) {
        if (!(e instanceof SequenceSyntaxError)) throw e;
        throw this.errorInScalar(item, e.index, `${where}: invalid sequence: ${e.message} (syntax: docs/rules.md#sequence)`);
      }
      // Each /…/ element is a regular expression run on tokens: checked for backtracking like the others.
      for (const r of parsed.regexes) {
        const at = this.positionInScalar(item, r.index);
        regexes.push({ source: r.source, key: 'match.sequences', line: at.line, column: at.column, whole: true });
      }
    }

    const hasPhrases = Boolean(phrases?.length);
    // Every match starts and ends on jieba word boundaries unless the rule opts out (`boundary: none`):
    // 但是您的… must not yield 是您的…, nor 我特别想… 别想.
    const boundary = this.oneOf(node, 'boundary', ['token', 'none'] as const, kind === 'classifier' ? 'none' : 'token', where);
    const whenNode = node.get('when', true) as Node | undefined;
    let when: WhenSpec | undefined;
    if (whenNode !== undefined) {
      if (!isMap(whenNode)) throw this.error(whenNode, `${where}: 'when' must be a mapping (act, subject, alternative, hedged, help)`);
      this.checkKeys(whenNode, WHEN_KEYS, `${where} when`);
      when = this.clauseConditions(whenNode, `${where} when`);
    }
    const unless = this.unless(node.get('unless', true) as Node | undefined, where, regexes);
    const lacksNode = node.get('lacks', true) as Node | undefined;
    if (kind === 'absence' && lacksNode === undefined) throw this.error(node, `${where}: an absence rule needs 'lacks: { scope, words }' — what must be there`);
    if (kind !== 'absence' && lacksNode !== undefined) throw this.error(lacksNode, `${where}: 'lacks' is only for kind: absence (use 'unless' to skip a match)`);
    const lacks = this.lacks(lacksNode, where, regexes);
    const suggest = this.suggestions(node.get('suggest', true) as Node | undefined, where, regexes);

    let why: RuleSpec['why'];
    const whyNode = node.get('why', true) as Node | undefined;
    if (whyNode !== undefined) {
      if (!isMap(whyNode)) throw this.error(whyNode, `${where}: 'why' must be a mapping { quote, source }`);
      this.checkKeys(whyNode, WHY_KEYS, `${where} why`);
      why = { quote: this.string(whyNode, 'quote', true, where)!, source: this.source(whyNode.get('source', true) as Node, where)! };
      if (!why.source) throw this.error(whyNode, `${where}: 'why' needs a source`);
    }

    let examples: RuleSpec['examples'];
    const exNode = node.get('examples', true) as Node | undefined;
    if (exNode !== undefined) {
      if (!isMap(exNode)) throw this.error(exNode, `${where}: 'examples' must be a mapping { bad: [...], good: [...] }`);
      this.checkKeys(exNode, EXAMPLE_KEYS, `${where} examples`);
      const bad = this.badExamples(exNode, where);
      examples = { bad: bad?.map((b) => b.text), good: this.stringList(exNode, 'good', where) };
      if (bad?.some((b) => b.span !== undefined)) examples.spans = bad.map((b) => b.span);
    }

    const at = this.position(node);
    return {
      id,
      kind,
      category,
      severity,
      message,
      description: this.string(node, 'description', false, where),
      why,
      match: classifier ?? (sequences ? { phrases, patterns, sequences } : { phrases, patterns }),
      boundary,
      ...(when ? { when } : {}),
      unless,
      ...(lacks ? { lacks } : {}),
      suggest,
      examples,
      location: { file: this.file, line: at.line, column: at.col },
      regexes,
      pack,
    };
  }

  /** An error at character `index` of a scalar's value (plain or quoted: escapes aside, exact). */
  private errorInScalar(node: Node | undefined, index: number, message: string): RuleError {
    const at = this.positionInScalar(node, index);
    return new RuleError(message, this.file, at.line, at.column);
  }

  /** Line and column of character `index` of a scalar's value (the scalar's own start when unsure). */
  private positionInScalar(node: Node | undefined, index: number): { line: number; column: number } {
    const start = node?.range?.[0];
    if (start === undefined || !isScalar(node)) {
      const at = this.position(node);
      return { line: at.line, column: at.col };
    }
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const at = this.lines.linePos(start + (quoted ? 1 : 0) + index);
    return { line: at.line, column: at.col };
  }

  /** `bad:` items are sentences, or `{ text, span }` where span is the excerpt that must be flagged. */
  private badExamples(map: YAMLMap, where: string): { text: string; span?: string }[] | undefined {
    const node = map.get('bad', true) as Node | undefined;
    if (node === undefined) return undefined;
    if (!isSeq(node)) throw this.error(node, `${where}: 'bad' must be a list of sentences or { text, span }`);
    return (node.items as Node[]).map((item) => {
      if (isMap(item)) {
        this.checkKeys(item, EXAMPLE_ITEM_KEYS, `${where} example`);
        const text = this.string(item, 'text', true, `${where} example`)!;
        const span = this.string(item, 'span', false, `${where} example`);
        if (span !== undefined && !text.includes(span)) throw this.error(item.get('span', true) as Node, `${where}: example span '${span}' is not part of its text '${text}'`);
        return { text, span };
      }
      if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number') || String(item.value) === '') {
        throw this.error(item, `${where}: every item of 'bad' must be a non-empty string or { text, span }`);
      }
      return { text: String(item.value) };
    });
  }

  private lacks(node: Node | undefined, where: string, regexes: RegexSource[]): LacksSpec | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) throw this.error(node, `${where}: 'lacks' must be a mapping { scope, words }`);
    this.checkKeys(node, LACKS_KEYS, `${where} lacks`);
    const scope = this.oneOf(node, 'scope', LACKS_SCOPES, 'sentence', `${where} lacks`);
    const words = this.stringList(node, 'words', where);
    if (!words?.length) throw this.error(node, `${where}: 'lacks.words' must list what the ${scope} should contain`);
    this.checkRegexItems(node, 'words', words, where);
    const items = seqItems(node, 'words');
    words.forEach((w, i) => {
      if (isRegexItem(w)) regexes.push(this.regexSource(w.slice(1, -1), 'lacks.words', items[i]));
    });
    return { scope, words };
  }

  private checkRegexItems(map: YAMLMap, key: string, list: string[], where: string): void {
    const items = seqItems(map, key);
    list.forEach((item, i) => {
      if (isRegexItem(item)) {
        try {
          new RegExp(item.slice(1, -1), 'u');
        } catch (e) {
          throw this.error(items[i], `${where}: invalid regular expression in ${key}: ${(e as Error).message}`);
        }
      }
    });
  }

  /**
   * `words: { equipment: [手機, 電腦, 路由器] }`: a list a pattern names as {equipment}, so a word list shared
   * by several patterns is written (and changed) once. Words are literal text, in either script.
   */
  private readWordLists(node: Node | undefined): void {
    if (node === undefined) return;
    if (!isMap(node)) throw this.error(node, "pack: 'words' must be a mapping of names to lists of words");
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!WORD_LIST_NAME.test(name)) throw this.error(pair.key as Node, `pack: word list name '${name}' must be lower-case letters, digits and '-' (used as {${name}} in patterns)`);
      const words = this.stringList(node, name, `words.${name}`)!;
      if (!words.length) throw this.error(pair.value as Node, `words.${name}: the list is empty`);
      const simplified = words.map((w) => normalize(w).text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      // longest first, so 路由器 is tried before 路由
      this.wordLists.set(name, `(?:${[...new Set(simplified)].sort((a, b) => b.length - a.length).join('|')})`);
    }
  }

  /** A pattern with its {name} word lists written out; an unknown name is an error at the item. */
  private expand(source: string, item: Node | undefined, where: string): string {
    return source.replace(WORD_LIST_REF, (whole, name: string) => {
      const list = this.wordLists.get(name);
      if (list === undefined) throw this.error(item, `${where}: no word list {${name}} in this pack's 'words'${didYouMean(name, [...this.wordLists.keys()])}`);
      return list;
    });
  }

  private regexSource(source: string, key: string, item: Node | undefined): RegexSource {
    const at = this.position(item);
    return { source, key, line: at.line, column: at.col };
  }

  private unless(node: Node | undefined, where: string, regexes: RegexSource[]): UnlessSpec | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) throw this.error(node, `${where}: 'unless' must be a mapping (before, after, clause, sentence, line, window)`);
    this.checkKeys(node, UNLESS_KEYS, `${where} unless`);
    const spec: UnlessSpec = {};
    for (const key of ['before', 'after', 'clause', 'sentence', 'line'] as const) {
      const list = this.stringList(node, key, where);
      if (list) {
        const items = seqItems(node, key);
        list.forEach((item, i) => {
          if (isRegexItem(item)) {
            const source = this.expand(item.slice(1, -1), items[i], where);
            list[i] = `/${source}/`;
            if (source.length > PACK_LIMITS.regexLength) {
              throw this.error(items[i], `${where}: regular expression in unless.${key} too long (${source.length} characters; at most ${PACK_LIMITS.regexLength})`);
            }
            try {
              new RegExp(source, 'u');
            } catch (e) {
              throw this.error(items[i], `${where}: invalid regular expression in unless.${key}: ${(e as Error).message}`);
            }
            regexes.push(this.regexSource(source, `unless.${key}`, items[i]));
          }
        });
        spec[key] = list;
      }
    }
    const windowNode = node.get('window', true) as Node | undefined;
    if (windowNode !== undefined) {
      if (!isScalar(windowNode) || typeof windowNode.value !== 'number' || !Number.isInteger(windowNode.value) || windowNode.value < 1) {
        throw this.error(windowNode, `${where}: unless.window must be a positive whole number of characters`);
      }
      spec.window = windowNode.value;
    }
    return { ...spec, ...this.clauseConditions(node, `${where} unless`) };
  }

  /** The clause analysis keys shared by `when` and `unless`: act, subject, alternative, hedged. */
  private clauseConditions(node: YAMLMap, where: string): WhenSpec {
    const out: WhenSpec = {};
    const act = this.stringList(node, 'act', where);
    if (act) {
      const bad = act.find((a) => !(SPEECH_ACTS as readonly string[]).includes(a));
      if (bad !== undefined) throw this.error(node.get('act', true) as Node, `${where}: unknown act '${bad}' (one of ${SPEECH_ACTS.join(', ')})`);
      out.act = act as SpeechAct[];
    }
    const subject = this.stringList(node, 'subject', where);
    if (subject) {
      const bad = subject.find((a) => !(SUBJECTS as readonly string[]).includes(a));
      if (bad !== undefined) throw this.error(node.get('subject', true) as Node, `${where}: unknown subject '${bad}' (one of ${SUBJECTS.join(', ')})`);
      out.subject = subject as Subject[];
    }
    for (const key of ['alternative', 'hedged', 'help'] as const) {
      const flag = node.get(key, true) as Node | undefined;
      if (flag === undefined) continue;
      if (!(isScalar(flag) && typeof flag.value === 'boolean')) throw this.error(flag, `${where}: '${key}' must be true or false`);
      out[key] = flag.value as boolean;
    }
    return out;
  }

  /** A safe replacement's guard: lists of words or /regex/ (each regex checked like a pattern). */
  private guard(node: Node | undefined, where: string, regexes: RegexSource[]): SafeGuard | undefined {
    if (node === undefined) return undefined;
    if (!isMap(node)) throw this.error(node, `${where}: 'guard' must be a mapping (${GUARD_KEYS.join(', ')})`);
    this.checkKeys(node, GUARD_KEYS, `${where} guard`);
    const lists = (map: YAMLMap, keys: readonly string[], prefix: string): Record<string, string[]> => {
      const out: Record<string, string[]> = {};
      for (const key of keys) {
        const list = this.stringList(map, key, where);
        if (!list) continue;
        const items = seqItems(map, key);
        list.forEach((item, i) => {
          if (!isRegexItem(item)) return;
          try {
            new RegExp(item.slice(1, -1), 'u');
          } catch (e) {
            throw this.error(items[i], `${where}: invalid regular expression in ${prefix}${key}: ${(e as Error).message}`);
          }
          regexes.push(this.regexSource(item.slice(1, -1), `${prefix}${key}`, items[i]));
        });
        out[key] = list;
      }
      return out;
    };
    const guard: SafeGuard = lists(node, ['excerpt', 'before', 'after'], 'guard.');
    const unlessNode = node.get('unless', true) as Node | undefined;
    if (unlessNode !== undefined) {
      if (!isMap(unlessNode)) throw this.error(unlessNode, `${where}: 'guard.unless' must be a mapping (before, after)`);
      this.checkKeys(unlessNode, GUARD_UNLESS_KEYS, `${where} guard.unless`);
      guard.unless = lists(unlessNode, GUARD_UNLESS_KEYS, 'guard.unless.');
    }
    return guard;
  }

  private frameList<T extends string>(node: YAMLMap, key: string, allowed: readonly T[], where: string): T[] | undefined {
    const list = this.stringList(node, key, where);
    if (!list) return undefined;
    const bad = list.find((x) => !(allowed as readonly string[]).includes(x));
    if (bad !== undefined) throw this.error(node.get(key, true) as Node, `${where}: unknown frame '${bad}' in '${key}' (one of ${allowed.join(', ')})`);
    return list as T[];
  }

  private fits(node: Node, where: string): FitSpec {
    if (!isMap(node)) throw this.error(node, `${where}: 'fits' must be a mapping { after, before, notAfter, notBefore, subject }`);
    this.checkKeys(node, FIT_KEYS, where);
    const out: FitSpec = {};
    const after = this.frameList(node, 'after', AFTER_FRAMES, where);
    if (after) out.after = after;
    const before = this.frameList(node, 'before', BEFORE_FRAMES, where);
    if (before) out.before = before;
    const notAfter = this.frameList(node, 'notAfter', AFTER_FRAMES, where);
    if (notAfter) out.notAfter = notAfter;
    const notBefore = this.frameList(node, 'notBefore', BEFORE_FRAMES, where);
    if (notBefore) out.notBefore = notBefore;
    const subject = this.frameList(node, 'subject', SUBJECTS, where);
    if (subject) out.subject = subject;
    return out;
  }

  private suggestions(node: Node | undefined, where: string, regexes: RegexSource[] = []): SuggestionSpec[] {
    if (node === undefined) return [];
    if (!isSeq(node)) throw this.error(node, `${where}: 'suggest' must be a list of { kind, text, source }`);
    return (node.items as Node[]).map((item) => {
      if (!isMap(item)) throw this.error(item, `${where}: each suggestion must be a mapping { kind, text, source }`);
      this.checkKeys(item, SUGGEST_KEYS, `${where} suggestion`);
      const safeNode = item.get('safe', true) as Node | undefined;
      if (safeNode !== undefined && !(isScalar(safeNode) && typeof safeNode.value === 'boolean')) {
        throw this.error(safeNode, `${where}: suggestion 'safe' must be true or false`);
      }
      const kind = this.oneOf(item, 'kind', ['replace', 'rewrite'] as const, undefined, `${where} suggestion`);
      const spec: SuggestionSpec = {
        kind,
        text: this.string(item, 'text', true, `${where} suggestion`)!,
        source: this.source(item.get('source', true) as Node | undefined, `${where} suggestion`),
        safe: safeNode ? Boolean((safeNode as { value: unknown }).value) : undefined,
        ...(item.has('guard') ? { guard: this.guard(item.get('guard', true) as Node, `${where} suggestion`, regexes) } : {}),
      };
      for (const key of ['fits', 'examples', 'misfits'] as const) {
        if (kind !== 'replace' && item.get(key, true) !== undefined) throw this.error(item.get(key, true) as Node, `${where}: '${key}' is for replace suggestions only`);
      }
      const fits = item.get('fits', true) as Node | undefined;
      if (fits !== undefined) spec.fits = this.fits(fits, `${where} suggestion fits`);
      const examples = item.get('examples', true) as Node | undefined;
      if (examples !== undefined) {
        if (!isSeq(examples)) throw this.error(examples, `${where}: suggestion 'examples' must be a list of { draft, result }`);
        spec.examples = (examples.items as Node[]).map((e) => {
          if (!isMap(e)) throw this.error(e, `${where}: each suggestion example must be a mapping { draft, result }`);
          this.checkKeys(e, ['draft', 'result'], `${where} suggestion example`);
          return { draft: this.string(e, 'draft', true, `${where} suggestion example`)!, result: this.string(e, 'result', true, `${where} suggestion example`)! };
        });
      }
      const misfits = this.stringList(item, 'misfits', `${where} suggestion`);
      if (misfits) spec.misfits = misfits;
      return spec;
    });
  }
}

function seqItems(map: YAMLMap, key: string): Node[] {
  const node = map.get(key, true) as Node | undefined;
  return isSeq(node) ? (node.items as Node[]) : [];
}

export { isRegexItem } from './regex-item.js';

/** Parse one pack's YAML text. `file` is only used in error messages. */
export function parsePack(text: string, file: string): PackSpec {
  return new PackReader(file, text).parse();
}
