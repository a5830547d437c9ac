// What `huashu fix` lints a file with: the config that applies to it (found from its folder upward, or
// --config: packs, severities, `off`, placeholders), and the reader `lint` uses for its kind of file, so
// that fixes touch only the text nodes `lint` reads — never Markdown code, HTML comments, attributes or
// <script>, nor JSON/YAML keys. A replacement that the file's syntax would read differently (a quote in
// a JSON string, `<` or `&` in HTML, `:` or `#` in YAML) is not applied there.
import { resolve } from 'node:path';
import type { Finding } from '../engine/findings.js';
import { ConfigCache, ignoredBy, type ConfiguredRules } from '../config/index.js';
import { formatOf, type InputFormat } from '../inputs/kinds.js';
import { lintDocument } from '../inputs/lint-document.js';
import { placeholderPatterns, type PlaceholderPattern } from '../inputs/placeholders.js';
import { UsageError } from '../cli/errors.js';
import { checkRuleNames } from '../cli/lint.js';

/** A file that does not read as its kind (before fixing, or after: then nothing is written). */
export class DocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentError';
  }
}

/** Characters a replacement may not bring into a file of this kind without escaping. */
const UNSAFE_IN: Partial<Record<InputFormat, RegExp>> = {
  json: /["\\\u0000-\u001f]/,
  yaml: /["'\\:#\n\r{}[\]&*!|>%@`]/,
  html: /[<>&"']/,
  markdown: /[\\`*_[\]<>#|&\n\r]/,
};

export interface FixRuleOptions {
  config?: string;
  rules?: string[];
  only?: string[];
  disable?: string[];
}

export class FixRules {
  private readonly configs: ConfigCache;
  private readonly checked = new Set<ConfiguredRules>();

  constructor(private readonly options: FixRuleOptions) {
    this.configs = new ConfigCache(options.config, options.rules ?? []);
  }

  /** The rules for `path` (undefined: standard input), --only/--disable checked against them once. */
  async check(path: string | undefined): Promise<ConfiguredRules> {
    const configured = await this.configs.rulesFor(path);
    if (!this.checked.has(configured)) {
      this.checked.add(configured);
      await checkRuleNames('--only', this.options.only ?? [], configured.set);
      await checkRuleNames('--disable', this.options.disable ?? [], configured.set);
    }
    return configured;
  }

  /** Why the config of `path` leaves it out (its `ignore` globs), or undefined. */
  async ignored(path: string): Promise<string | undefined> {
    const configured = await this.check(path);
    const pattern = ignoredBy(configured.config, path);
    if (pattern !== undefined) return `ignored by ${configured.config.file} (ignore: '${pattern}')`;
    // The team's training documents hold wrong examples on purpose: fixing them would change what they teach.
    if (configured.config.documents.includes(resolve(path))) return `a team training document (documents: in ${configured.config.file})`;
    return undefined;
  }

  /**
   * The lint of one file's text, as `lint` reads it. Throws DocumentError when the text does not read as
   * its kind. Safe replacements that the file's syntax would not keep as text lose their `safe` mark.
   */
  async linter(path: string | undefined): Promise<(text: string) => Finding[]> {
    const configured = await this.check(path);
    const format: InputFormat = path === undefined ? 'text' : (formatOf(path) ?? 'text');
    let placeholders: readonly PlaceholderPattern[] | undefined;
    try {
      placeholders = configured.config.placeholders.length ? placeholderPatterns(configured.config.placeholders) : undefined;
    } catch (e) {
      throw new UsageError(`placeholder pattern: ${(e as Error).message}`);
    }
    const unsafe = UNSAFE_IN[format];
    const options = {
      only: this.options.only,
      disable: [...(this.options.disable ?? []), ...configured.off],
      format,
      ...(placeholders ? { placeholders } : {}),
    };
    return (text: string) => {
      const result = lintDocument(path ?? '-', text, configured.set, options);
      if ('error' in result) throw new DocumentError(result.error);
      if (!unsafe) return result.findings;
      return result.findings.map((f) =>
        f.suggestions.some((s) => s.safe && unsafe.test(s.text))
          ? { ...f, suggestions: f.suggestions.map((s) => (s.safe && unsafe.test(s.text) ? { ...s, safe: false } : s)) }
          : f,
      );
    };
  }
}
