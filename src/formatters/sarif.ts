// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, GitLab): one run, the rules that ran with their
// help text and seed citation, one result per finding with its region in the file (1-based lines,
// columns in Unicode code points as `columnKind` says, end column exclusive) and the exact excerpt as
// the snippet. Files that could not be linted are tool execution notifications. Written a result at a time.
import { createHash } from 'node:crypto';
import type { Finding } from '../engine/findings.js';
import { LineIndex } from '../engine/position.js';
import { safeReplacements } from '../edits/document.js';
import type { RuleSpec, Severity } from '../rules/types.js';
import { basePath, pathUri } from './paths.js';
import { indentJson, isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';
import { resolve as resolveFrom } from 'node:path';
import { pathToFileURL } from 'node:url';
import { citeText } from '../explain/sources.js';
import type { SourceRef } from '../rules/types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

const cite = (s: SourceRef) => citeText(s);

function ruleHelp(rule: RuleSpec): { text: string; markdown: string } {
  const text: string[] = [rule.message];
  const md: string[] = [rule.message];
  if (rule.description) {
    text.push('', rule.description);
    md.push('', rule.description);
  }
  if (rule.why) {
    text.push('', `Why: ${rule.why.quote} (${cite(rule.why.source)})`);
    md.push('', `> ${rule.why.quote}`, '>', `> — ${cite(rule.why.source)}`);
  }
  if (rule.suggest.length > 0) {
    text.push('', 'Instead:');
    md.push('', '**Instead:**', '');
    for (const s of rule.suggest) {
      const source = s.source ? ` (${cite(s.source)})` : '';
      text.push(`- ${s.text}${source}`);
      md.push(`- ${s.text}${source}`);
    }
  }
  return { text: text.join('\n'), markdown: md.join('\n') };
}

function ruleDescriptor(rule: RuleSpec, helpUri: string | undefined) {
  return {
    id: rule.id,
    ...(helpUri ? { helpUri } : {}),
    shortDescription: { text: rule.message },
    fullDescription: { text: rule.description ?? rule.message },
    help: ruleHelp(rule),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      category: rule.category,
      pack: rule.pack,
      tags: ['huashu', rule.category],
      ...(rule.why ? { seed: rule.why.source, quote: rule.why.quote } : {}),
    },
  };
}

function resultMessage(f: Finding): string {
  const lines = [f.message];
  for (const s of f.suggestions) lines.push(`→ ${s.text}${s.source ? ` (${cite(s.source)})` : ''}`);
  return lines.join('\n');
}

function artifactLocationOf(path: string, cwd: string | undefined, base: string | undefined) {
  const { uri, relative } = pathUri(path, cwd, base);
  return relative ? { uri, uriBaseId: SRCROOT } : { uri };
}

/** The name of huashu's own fingerprint in `partialFingerprints` (versioned: a new way of computing it is a new name). */
export const FINGERPRINT = 'huashuFinding/v1';

/**
 * Fingerprints that follow a finding when lines are added above it or the file is reformatted around it:
 * the rule, the file (as reported), the trimmed text of the finding's line and the flagged words, and
 * which occurrence of all that in the file it is.
 */
function fingerprints(path: string, text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const line = lines.lineText(lines.lineOf(f.offset)).trim();
    const hash = createHash('sha256').update(`${f.ruleId}\u0000${path}\u0000${line}\u0000${f.excerpt}`).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/** Stands for the results in the log's skeleton, which is printed around them. */
const RESULTS = '\u0000results';

export const sarifChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  const cwd = options.cwd ?? process.cwd();
  const base = options.basePath;
  // Relative URIs are relative to this: the base path (the repository root) or the working directory.
  const root = base === undefined ? cwd : resolveFrom(cwd, base);
  // Every rule that ran is described; rules that only appear in findings (no list given) are described by id.
  const rules: RuleSpec[] = [...(options.rules ?? [])];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const notifications = [];
  for (const file of files) {
    if (file.error === undefined) continue;
    notifications.push({
      level: isBinarySkip(file) ? 'warning' : 'error',
      message: { text: `${file.path}: ${file.error}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocationOf(file.path, cwd, base) } }],
    });
  }
  const failed = files.some((f) => f.error !== undefined && !isBinarySkip(f));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'huashu',
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            fullName: 'huashu 話術 — reply linter for Chinese customer-service replies',
            rules: rules.map((r) => ruleDescriptor(r, options.helpUri?.(r.id))),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } },
        columnKind: 'unicodeCodePoints',
        results: RESULTS,
        invocations: [{ executionSuccessful: !failed, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
      },
    ],
  };
  // The skeleton, then the results one by one where the placeholder stands (8 spaces deep).
  const [before, after] = JSON.stringify(log, null, 2).split(JSON.stringify(RESULTS)) as [string, string];
  yield `${before}[`;
  let first = true;
  const chunks: string[] = [];
  for (const file of files) {
    if (file.error !== undefined) continue;
    if (file.findings.length === 0) continue;
    const location = artifactLocationOf(file.path, cwd, base);
    const text = file.text ?? '';
    const prints = fingerprints(basePath(file.path, base, cwd), text, file.findings);
    const edits = safeReplacements(file.path, text);
    file.findings.forEach((f, i) => {
      const fixes = edits(f).map((e) => ({
        description: { text: `Replace 「${f.excerpt}」 with 「${e.text}」` },
        artifactChanges: [
          {
            artifactLocation: location,
            replacements: [{ deletedRegion: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn }, insertedContent: { text: e.text } }],
          },
        ],
      }));
      const entry = { ...result(f, location, index.get(f.ruleId)), partialFingerprints: { [FINGERPRINT]: prints[i]! }, ...(fixes.length ? { fixes } : {}) };
      chunks.push(`${first ? '' : ','}\n        ${indentJson(JSON.stringify(entry, null, 2), 8)}`);
      first = false;
    });
    yield* chunks.splice(0);
  }
  yield `${first ? ']' : '\n      ]'}${after}\n`;
};

export const formatSarif = joined(sarifChunks);

function result(f: Finding, artifactLocation: ReturnType<typeof artifactLocationOf>, ruleIndex: number | undefined) {
  return {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: resultMessage(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, snippet: { text: f.excerpt } },
        },
      },
    ],
    properties: { category: f.category, script: f.script, suggestions: f.suggestions },
  };
}
