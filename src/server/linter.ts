// The server's warm engine: rules built once per config and kept, rebuilt when the config file (or a pack
// it reads) changes on disk. A request's text is linted as `huashu lint` lints a file of that name: the
// reader chosen by the name's extension, the config found from its folder upward (or --config).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Finding } from '../engine/findings.js';
import type { LintOptions } from '../engine/lint.js';
import type { Script } from '../normalize/index.js';
import { findConfigFile, ignoredBy, loadConfigFile, resolveConfig, rulesForConfig, type ConfiguredRules } from '../config/index.js';
import { didYouMean } from '../rules/errors.js';
import { formatOf, type InputFormat } from '../inputs/kinds.js';
import { placeholderPatterns, type PlaceholderPattern } from '../inputs/placeholders.js';
import { lintPlainText } from '../inputs/plain.js';
import type { Segment } from '../inputs/mapped.js';
import type { Severity } from '../rules/types.js';

/** A request the client got wrong: answered with this HTTP status and message. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface Prepared {
  configured: ConfiguredRules;
  placeholders: PlaceholderPattern[];
  /** Every name --only/--disable may use: ids, categories, packs. */
  names: Set<string>;
}

interface Entry {
  /** mtime and size of the config file and the packs it read, when it was loaded. */
  stamp: string;
  files: string[];
  prepared: Promise<Prepared>;
}

export interface LintRequest {
  text: string;
  /** A file name: picks the reader by its extension and the config found for it. */
  path?: string;
  /** The reader, overriding the path's extension. */
  kind?: InputFormat;
  only?: readonly string[];
  disable?: readonly string[];
  minSeverity?: Severity;
  /** Script for suggestions where a line has no telling characters (LanguageTool's language). */
  script?: Script;
  /** Lint these segments of `text` instead of reading it by kind (LanguageTool's annotated data). */
  segments?: readonly Segment[];
}

export type LintResponse = { findings: Finding[]; ignored?: string };

/** How long a folder's config lookup is trusted before it is looked up again (a new config file). */
const DIR_TTL_MS = 2000;

function stampOf(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.mtimeMs}:${s.size}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

export class Linter {
  private readonly byDir = new Map<string, { file: string | undefined; at: number }>();
  private readonly byFile = new Map<string, Entry>();
  private lintDocument: typeof import('../inputs/lint-document.js').lintDocument | undefined;
  private lintSegments: typeof import('../inputs/remap.js').lintSegments | undefined;

  constructor(
    /** --config: one config for every request. */
    private readonly explicit?: string,
    /** --rules: extra packs on top of each config's. */
    private readonly extraPacks: readonly string[] = [],
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** The config file for a path (none: the defaults); no path: the server's working directory. */
  async configFile(path: string | undefined): Promise<string | undefined> {
    if (this.explicit) return resolve(this.explicit);
    const dir = path === undefined ? process.cwd() : dirname(resolve(path));
    const now = Date.now();
    const known = this.byDir.get(dir);
    if (known && now - known.at < DIR_TTL_MS) return known.file;
    const file = await findConfigFile(dir);
    if (this.byDir.size > 10_000) this.byDir.clear();
    this.byDir.set(dir, { file, at: now });
    return file;
  }

  /** Look config files up again now (one was created or deleted), not when the folder look-up expires. */
  forgetLookups(): void {
    this.byDir.clear();
  }

  /** The rules for a path, rebuilt when its config or one of the packs it reads changed since. */
  async rulesFor(path: string | undefined): Promise<Prepared> {
    let file = await this.configFile(path);
    if (file !== undefined && !this.explicit && stampOf([file]) === 'missing') {
      // The config was deleted: look again now rather than after the folder look-up expires.
      this.byDir.clear();
      file = await this.configFile(path);
    }
    const key = file ?? '';
    const entry = this.byFile.get(key);
    if (entry && stampOf(entry.files) === entry.stamp) return entry.prepared;
    if (entry) this.log(`config changed, reloading ${file ?? 'the packs'}`);
    const watched = file ? [file] : [];
    const next: Entry = { stamp: stampOf(watched), files: watched, prepared: Promise.resolve(undefined as never) };
    next.prepared = (async () => {
      const config = file ? await loadConfigFile(file) : await resolveConfig(undefined);
      const configured = await rulesForConfig(config, this.extraPacks);
      const packFiles = [...new Set(configured.set.rules.map((r) => r.spec.location.file))].filter((f) => !watched.includes(f));
      next.files = [...watched, ...packFiles];
      next.stamp = stampOf(next.files);
      const rules = configured.set.rules.map((r) => r.spec);
      const names = new Set([...rules.map((r) => r.id), ...rules.map((r) => r.category), ...rules.map((r) => r.pack)]);
      return { configured, placeholders: placeholderPatterns(config.placeholders), names };
    })();
    // A config that does not load is reported to each request, and tried again once it changes.
    next.prepared.catch(() => {});
    this.byFile.set(key, next);
    return next.prepared;
  }

  /** Every name given to only/disable must select some rule, as for `lint --only/--disable`. */
  private checkNames(option: string, names: readonly string[], prepared: Prepared): void {
    const ids = prepared.configured.set.rules.map((r) => r.spec.id);
    for (const name of names) {
      if (prepared.names.has(name)) continue;
      if (name.endsWith('/*') && ids.some((id) => id.startsWith(name.slice(0, -1)))) continue;
      throw new RequestError(400, `${option}: no rule, category or pack named '${name}'${didYouMean(name, [...prepared.names].sort())}`);
    }
  }

  async lint(request: LintRequest): Promise<LintResponse> {
    const prepared = await this.rulesFor(request.path);
    const only = request.only ?? [];
    const disable = request.disable ?? [];
    this.checkNames('only', only, prepared);
    this.checkNames('disable', disable, prepared);
    const { placeholders } = prepared;
    let { configured } = prepared;
    // The config's `overrides` for this path (per glob, and per JSON/YAML field).
    if (request.path !== undefined && configured.config.overrides.length) configured = (await import('../config/overrides.js')).forPath(configured, resolve(request.path));
    if (request.path !== undefined) {
      const ignored = ignoredBy(configured.config, request.path);
      if (ignored !== undefined) return { findings: [], ignored };
    }
    const options: LintOptions & { placeholders: PlaceholderPattern[] } = {
      only,
      disable: [...disable, ...configured.off],
      minSeverity: request.minSeverity ?? 'info',
      placeholders,
      ...(request.script ? { script: request.script } : {}),
    };
    if (request.segments) {
      this.lintSegments ??= (await import('../inputs/remap.js')).lintSegments;
      return { findings: this.lintSegments(request.text, request.segments, configured.set, options) };
    }
    const kind = request.kind ?? (request.path !== undefined ? (formatOf(request.path) ?? 'text') : 'text');
    if (kind === 'text') {
      const plain = lintPlainText(request.text, configured.set, options);
      if (plain) return { findings: plain };
    }
    this.lintDocument ??= (await import('../inputs/lint-document.js')).lintDocument;
    const result = this.lintDocument(request.path ?? '<text>', request.text, configured.set, { ...options, format: kind, ...configured.scoped });
    if ('error' in result) throw new RequestError(422, `${request.path ?? kind}: ${result.error}`);
    return result;
  }
}
