// `huashu explain`: a teaching page per rule — what it catches, why (the seed quote and its citation, and
// the cited passages when the seed documents are at hand), bad and good examples in both scripts with the
// flagged span marked, and the alternatives. Built as data first (for --format json), then as text.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding } from '../engine/findings.js';
import { normalize } from '../normalize/index.js';
import { renderInScript } from '../normalize/render.js';
import type { RuleSet } from '../rules/compile.js';
import type { RuleSpec, SafeGuard, SourceRef } from '../rules/types.js';
import { passageAfter, readPassage, readSection, sectionText } from './seeds.js';
import type { TeamLibrary } from './team-docs.js';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { citeText } from '../explain/sources.js';

export interface BothScripts {
  /** As the pack wrote it. */
  text: string;
  simplified: string;
  traditional: string;
}

export interface ExampleView extends BothScripts {
  /** Spans the rule flags in the example as written (UTF-16 offsets), empty for a good example. */
  flagged: { offset: number; length: number }[];
}

export interface Citation extends SourceRef {
  /** The passage after the cited heading, when the seed document could be read. */
  passage?: string;
  /** The whole cited section (the why citation only), when the document could be read. */
  sectionText?: string;
}

export interface RulePage {
  id: string;
  category: string;
  severity: string;
  pack: string;
  message: string;
  description?: string;
  why?: { quote: string; source: Citation };
  examples: { bad: ExampleView[]; good: ExampleView[] };
  alternatives: (BothScripts & { kind: 'replace' | 'rewrite'; safe: boolean; guard?: SafeGuard; source?: Citation })[];
  /** The clause analysis conditions (docs/rules.md, "Clause analysis"), in words. */
  applies?: string[];
  /** The config file in effect (its severities are those shown; `severity: off` when it turns the rule off). */
  config?: string;
  /** Model replies of the team's own documents for this rule's category. */
  team?: { text: string; source: SourceRef }[];
}

/** The team document a citation names (by its path from the config or working directory, or file name). */
function teamDocumentOf(source: SourceRef, documents: readonly string[] | undefined): string | undefined {
  if (!documents?.length) return undefined;
  const wanted = source.doc.replace(/\\/g, '/');
  return documents.find((d) => d.replace(/\\/g, '/').endsWith(`/${wanted}`)) ?? documents.find((d) => basename(d) === basename(wanted));
}

async function teamPassage(file: string, source: SourceRef, anchor: string | undefined, cache: Map<string, string | null>, whole = false): Promise<string | undefined> {
  let text = cache.get(file);
  if (text === undefined) {
    text = await readFile(file, 'utf8').catch(() => null);
    cache.set(file, text);
  }
  if (text === null) return undefined;
  return whole ? sectionText(text, source.section) : passageAfter(text, source.section, anchor);
}

export interface ExplainOptions {
  seeds?: string;
  /** The team's own training documents (config `documents:`, absolute paths): cited passages come from them too. */
  documents?: readonly string[];
  /** Their model replies: shown for the rule's category. */
  team?: TeamLibrary;
  /** Lints an example with this rule only (the real engine), to mark what it flags. */
  lint: (text: string, ruleId: string) => Finding[];
}

function both(text: string): BothScripts {
  return { text, simplified: renderInScript(text, 'simplified'), traditional: renderInScript(text, 'traditional-tw') };
}

export async function rulePage(spec: RuleSpec, options: ExplainOptions): Promise<RulePage> {
  const cache = new Map<string, string | null>();
  const cite = async (source: SourceRef, anchor?: string): Promise<Citation> => {
    const team = teamDocumentOf(source, options.documents);
    const passage = team ? await teamPassage(team, source, anchor, cache) : await readPassage(options.seeds, source, anchor, cache);
    return passage ? { ...source, passage } : { ...source };
  };
  const whyCitation = async (source: SourceRef, quote: string): Promise<Citation> => {
    const citation = await cite(source, quote);
    const team = teamDocumentOf(source, options.documents);
    const full = team ? await teamPassage(team, source, undefined, cache, true) : await readSection(options.seeds, source, cache);
    return full ? { ...citation, sectionText: full } : citation;
  };
  const example = (text: string): ExampleView => ({
    ...both(text),
    flagged: options.lint(text, spec.id).map((f) => ({ offset: f.offset, length: f.length })),
  });
  const teamReplies = (options.team?.replies ?? []).filter((r) => r.flaggedBy.length === 0 && r.categories.includes(spec.category));
  return {
    ...(teamReplies.length ? { team: teamReplies.map((r) => ({ text: r.text, source: { doc: r.doc, section: r.section, line: r.line } })) } : {}),
    id: spec.id,
    category: spec.category,
    severity: spec.severity,
    pack: spec.pack,
    message: spec.message,
    ...(spec.description ? { description: spec.description } : {}),
    ...(clauseConditions(spec).length ? { applies: clauseConditions(spec) } : {}),
    ...(spec.why ? { why: { quote: spec.why.quote, source: await whyCitation(spec.why.source, spec.why.quote) } } : {}),
    examples: { bad: (spec.examples?.bad ?? []).map(example), good: (spec.examples?.good ?? []).map(example) },
    alternatives: await Promise.all(
      spec.suggest.map(async (s) => ({ kind: s.kind, ...both(s.text), safe: s.safe === true, ...(s.safe && s.guard ? { guard: s.guard } : {}), ...(s.source ? { source: await cite(s.source, s.text) } : {}) })),
    ),
  };
}

/** A rule's `when` and clause-level `unless` keys, one line each. */
export function clauseConditions(spec: RuleSpec): string[] {
  const out: string[] = [];
  const w = spec.when;
  if (w?.act) out.push(`only in a clause that is: ${w.act.join(' or ')}`);
  if (w?.subject) out.push(`only where the subject is: ${w.subject.join(' or ')}`);
  if (w?.hedged !== undefined) out.push(w.hedged ? 'only in a hedged clause' : 'only in a clause without a hedge');
  if (w?.alternative !== undefined) out.push(w.alternative ? 'only when the reply offers a way forward' : 'only when the reply offers no way forward');
  if (w?.help !== undefined) out.push(w.help ? 'only when the agent offers help' : 'only when the agent offers no help');
  const u = spec.unless;
  if (u?.act) out.push(`not in a clause that is: ${u.act.join(', ')}`);
  if (u?.subject) out.push(`not where the subject is: ${u.subject.join(', ')}`);
  if (u?.hedged) out.push('not in a hedged clause (可能, 一般, 預計…)');
  if (u?.alternative) out.push('not when the reply offers an alternative or next step elsewhere');
  if (u?.help) out.push('not when the agent offers its own help elsewhere in the reply');
  return out;
}

/** The rules a name selects: a rule id, or every rule of a category or pack. */
export function selectRules(set: RuleSet, name: string): RuleSpec[] {
  const byId = set.rules.find((r) => r.spec.id === name);
  if (byId) return [byId.spec];
  return set.rules.filter((r) => r.spec.category === name || r.spec.pack === name).map((r) => r.spec);
}

export function explainNames(set: RuleSet): string[] {
  return [...new Set(set.rules.flatMap((r) => [r.spec.id, r.spec.category, r.spec.pack]))].sort();
}

// ---------------------------------------------------------------------------------------------------
// Text

function marked(c: ChalkInstance, text: string, spans: { offset: number; length: number }[]): string {
  if (spans.length === 0 || c.level === 0) return text;
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.offset - b.offset)) {
    if (s.offset < at) continue;
    out += text.slice(at, s.offset) + c.red.underline(text.slice(s.offset, s.offset + s.length));
    at = s.offset + s.length;
  }
  return out + text.slice(at);
}

/** The other script's rendering, when it differs from the text as written. */
function otherScripts(b: BothScripts): string[] {
  return [...new Set([b.simplified, b.traditional])].filter((t) => t !== b.text);
}

const compactForm = (s: string) => normalize(s).text.replace(/\s+/g, '');

/** A citation, with its passage the first time that passage comes up on the page. */
function citation(c: ChalkInstance, source: Citation, indent: string, shown: Set<string>): string[] {
  const lines = [`${indent}${c.dim(`— ${citeText(source)}`)}`];
  if (source.passage && !shown.has(source.passage)) {
    lines.push(`${indent}  ${c.italic(source.passage)}`);
    shown.add(source.passage);
  }
  return lines;
}

export function formatRulePage(page: RulePage, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const severity = page.severity === 'off' && page.config ? `off in ${page.config}` : page.severity;
  const lines = [c.bold(page.id) + c.dim(`  ${page.category} · ${severity} · pack ${page.pack}`), ''];
  const shown = new Set<string>();
  lines.push(c.bold('What it catches'), `  ${page.message}`);
  if (page.description) lines.push(`  ${c.dim(page.description)}`);
  if (page.applies) lines.push('', c.bold('When it applies'), ...page.applies.map((a) => `  - ${a}`));
  if (page.why) {
    // The passage is shown when it says more than the quote itself.
    if (page.why.source.passage && compactForm(page.why.source.passage) === compactForm(page.why.quote)) shown.add(page.why.source.passage);
    lines.push('', c.bold('Why'), `  「${page.why.quote}」`, ...citation(c, page.why.source, '  ', shown));
    const full = page.why.source.sectionText;
    if (full && compactForm(full) !== compactForm(page.why.source.passage ?? '')) {
      lines.push('', c.bold(`The section (${citeText(page.why.source)})`), ...full.split('\n').map((l) => `  ${c.dim(l)}`));
    }
  }
  const examples = (title: string, mark: string, list: ExampleView[]) => {
    if (list.length === 0) return;
    lines.push('', c.bold(title));
    for (const e of list) {
      lines.push(`  ${mark} ${marked(c, e.text, e.flagged)}`);
      for (const other of otherScripts(e)) lines.push(`    ${c.dim(other)}`);
    }
  };
  examples('Flagged (bad)', c.red('✗'), page.examples.bad);
  examples('Not flagged (good)', c.green('✓'), page.examples.good);
  if (page.team?.length) {
    lines.push('', c.bold("From your team's documents"));
    for (const t of page.team) lines.push(`  - ${c.green(t.text)}`, `    ${c.dim(`— ${citeText(t.source)}`)}`);
  }
  if (page.alternatives.length) {
    lines.push('', c.bold('Alternatives'));
    page.alternatives.forEach((a, i) => {
      const kind = a.kind === 'replace' ? `replace the flagged words${a.safe ? `, safe: huashu fix applies it${a.guard ? ' where its guard holds' : ''}` : ''}` : 'rewrite the sentence';
      lines.push(`  ${i + 1}. ${c.green(a.text)}  ${c.dim(`(${kind})`)}`);
      for (const other of otherScripts(a)) lines.push(`     ${c.dim(other)}`);
      if (a.source) lines.push(...citation(c, a.source, '     ', shown));
    });
  }
  return lines.join('\n') + '\n';
}

export function formatCategoryHeader(name: string, count: number, description: string | undefined, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  return `${c.bold.underline(name)}${description ? `  ${description}` : ''}\n${c.dim(`${count} rule${count === 1 ? '' : 's'}`)}\n\n`;
}
