// Inline directives: comments in a draft that turn rules off for a stretch of it (docs/rules.md).
//
//   <!-- huashu-disable overpromise/guarantee -->   … <!-- huashu-enable -->      Markdown, HTML
//   {# huashu-disable-next-line negative #}                                      templates
//   # huashu-disable-next-line blame/*        // huashu-disable                  plain text, own line
//   我保證明天送到。  # huashu-disable-line overpromise/guarantee                   plain text, end of line
//
// Without ids a directive covers every rule. Ids may be rule ids, categories, pack names or prefix/*,
// separated by commas or spaces; text after ` -- ` is a reason and ignored. A step of the findings
// pipeline: findings in, fewer findings out (plus warnings about the directives themselves).
import { detectScript } from '../normalize/index.js';
import { didYouMean } from '../rules/errors.js';
import type { RuleSet } from '../rules/compile.js';
import type { Finding } from './findings.js';
import { LineIndex } from './position.js';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

export interface Directive {
  kind: DirectiveKind;
  /** Rule selectors; empty: every rule. */
  ids: string[];
  /** Where the comment is in the original text (UTF-16 offsets). */
  offset: number;
  length: number;
}

const KEYWORD = 'huashu-(disable-next-line|disable-line|disable|enable)';
// Block comments of the host format, and line comments (# or //) at the start or end of a line.
const COMMENTS = [
  new RegExp(`<!--\\s*${KEYWORD}\\b([^]*?)-->`, 'g'),
  new RegExp(`\\{#\\s*${KEYWORD}\\b([^]*?)#\\}`, 'g'),
  new RegExp(`(?<=^|[ \\t\\u3000])(?:#|//)[ \\t]*${KEYWORD}\\b([^\\r\\n]*)`, 'gm'),
];

/** The directives of a text, in order. */
export function parseDirectives(text: string): Directive[] {
  if (!text.includes('huashu-')) return [];
  const out: Directive[] = [];
  for (const re of COMMENTS) {
    for (const m of text.matchAll(re)) {
      const rest = m[2]!.split(/\s--\s|\s--$/)[0]!;
      const ids = rest
        .split(/[\s,，]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      out.push({ kind: m[1] as DirectiveKind, ids, offset: m.index, length: m[0].length });
    }
  }
  // A line comment inside a block comment is the same directive seen twice.
  const sorted = out.sort((a, b) => a.offset - b.offset);
  return sorted.filter((d, i) => !sorted.slice(0, i).some((o) => d.offset >= o.offset && d.offset < o.offset + o.length));
}

function selects(selector: string, f: Finding, packOf: ReadonlyMap<string, string>): boolean {
  if (selector === f.ruleId || selector === f.category || selector === packOf.get(f.ruleId)) return true;
  return selector.endsWith('/*') && f.ruleId.startsWith(selector.slice(0, -1));
}

interface Usage {
  directive: Directive;
  used: boolean;
}

export function applyDirectives(text: string, findings: Finding[], set: RuleSet, options: { reportUnusedDirectives?: boolean } = {}): Finding[] {
  return applyDirectivesAt(text, parseDirectives(text), findings, set, options);
}

/**
 * Apply directives found elsewhere than by parseDirectives(text): the comments a file reader saw (a
 * Markdown or HTML comment, a YAML `#` comment), with offsets into `text`, to findings placed in `text`.
 */
export function applyDirectivesAt(text: string, directives: readonly Directive[], findings: Finding[], set: RuleSet, options: { reportUnusedDirectives?: boolean } = {}): Finding[] {
  if (directives.length === 0) return findings;
  const lines = new LineIndex(text);
  const packOf = new Map(set.rules.map((r) => [r.spec.id, r.spec.pack]));
  const known = [...new Set(set.rules.flatMap((r) => [r.spec.id, r.spec.category, r.spec.pack]))].sort();
  const problems: Finding[] = [];
  const problem = (d: Directive, ruleId: string, message: string) => {
    const from = lines.position(d.offset);
    const to = lines.position(d.offset + d.length);
    problems.push({
      ruleId,
      category: 'directive',
      severity: 'warning',
      message,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      offset: d.offset,
      length: d.length,
      excerpt: text.slice(d.offset, d.offset + d.length),
      suggestions: [],
      script: detectScript(text).script,
    });
  };
  for (const d of directives) {
    for (const id of d.ids) {
      const ok = known.includes(id) || (id.endsWith('/*') && known.some((k) => k.startsWith(id.slice(0, -1))));
      if (!ok) problem(d, 'huashu/unknown-rule', `unknown rule '${id}' in huashu-${d.kind}${didYouMean(id, known)}`);
    }
  }

  const usage = directives.map((directive) => ({ directive, used: false }));
  const kept = findings.filter((f) => !suppressedBy(f, usage, lines, packOf));
  if (options.reportUnusedDirectives) {
    for (const u of usage) {
      if (!u.used && u.directive.kind !== 'enable') problem(u.directive, 'huashu/unused-directive', `unused huashu-${u.directive.kind} directive: no problem was reported here${u.directive.ids.length ? ` by ${u.directive.ids.join(', ')}` : ''}`);
    }
  }
  return [...kept, ...problems].sort((a, b) => a.offset - b.offset || a.length - b.length);
}

/** Is `f` turned off by a directive? Marks the directive that did it as used. */
function suppressedBy(f: Finding, usage: Usage[], lines: LineIndex, packOf: ReadonlyMap<string, string>): boolean {
  const line = lines.lineOf(f.offset);
  const matches = (d: Directive) => d.ids.length === 0 || d.ids.some((id) => selects(id, f, packOf));
  for (const u of usage) {
    const d = u.directive;
    const at = lines.lineOf(d.offset);
    const target = d.kind === 'disable-line' ? at : d.kind === 'disable-next-line' ? lines.lineOf(d.offset + d.length) + 1 : -1;
    if (target === line && matches(d)) return (u.used = true);
  }
  // Block directives: replay them up to the finding. `all` is the directive that disabled everything.
  let all: Usage | undefined;
  const except = new Set<string>();
  const off = new Map<string, Usage>();
  for (const u of usage) {
    const d = u.directive;
    if (d.offset > f.offset) break;
    if (d.kind === 'disable') {
      if (d.ids.length === 0) {
        all = u;
        except.clear();
        off.clear();
      } else for (const id of d.ids) all ? except.delete(id) : off.set(id, u);
    } else if (d.kind === 'enable') {
      if (d.ids.length === 0) {
        all = undefined;
        off.clear();
      } else for (const id of d.ids) all ? except.add(id) : off.delete(id);
    }
  }
  if (all && ![...except].some((id) => selects(id, f, packOf))) return (all.used = true);
  for (const [id, u] of off) if (selects(id, f, packOf)) return (u.used = true);
  return false;
}
