// `huashu lsp`: a Language Server Protocol server on standard input and output. Open documents are linted
// as `huashu lint` lints the file of that name (the reader chosen by its extension, or by the editor's
// language for an unsaved one; the config found from its folder upward; placeholders and directives as
// lint has them), with the warm, reloading engine of `huashu serve` (src/server/linter.ts). Findings are
// diagnostics; code actions apply a safe replacement or add a `huashu-disable-line` comment; hovering a
// finding shows its rule's explanation and source. A config file that changes re-lints every open document.
//
// Positions: LSP counts UTF-16 code units per line, as findings' offsets do; TextDocument.positionAt turns
// an offset into a line and character exactly (astral characters count 2, CRLF and CR end lines).
import { fileURLToPath } from 'node:url';
import lsp from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic, Hover, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/findings.js';
import { formatOf, type InputFormat } from '../inputs/kinds.js';
import type { RuleSpec } from '../rules/types.js';
import { Linter, RequestError } from '../server/linter.js';
import { disableLineEdit, replacementEdit } from '../edits/document.js';

const { createConnection, TextDocuments, DiagnosticSeverity, CodeActionKind, MarkupKind, TextDocumentSyncKind, FileChangeType, StreamMessageReader, StreamMessageWriter } = lsp;

export interface LspOptions {
  /** --config: one config for every document. */
  config?: string;
  /** --rules: extra packs. */
  rules?: readonly string[];
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** What a diagnostic carries for code actions and hover (LSP's `data`, sent back by the client). */
interface DiagnosticData {
  ruleId: string;
  offset: number;
  length: number;
  /** The flagged words, to tell a diagnostic of an older version of the text. */
  excerpt: string;
  /** Safe replacements, in the draft's script. */
  replacements: string[];
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The reader for an editor language, for a document that is not a file (an unsaved buffer). */
const KIND_BY_LANGUAGE: Record<string, InputFormat> = { markdown: 'markdown', html: 'html', json: 'json', jsonc: 'json', yaml: 'yaml', plaintext: 'text' };

/** A document's file path, when its URI is a file. */
function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function kindOf(doc: TextDocument): InputFormat {
  const path = pathOf(doc.uri);
  return (path !== undefined ? formatOf(path) : undefined) ?? KIND_BY_LANGUAGE[doc.languageId] ?? 'text';
}

/** A rule's explanation for a hover: what it flags, why (the quoted source and where it is from), what to write. */
export function ruleMarkdown(spec: RuleSpec, finding?: Pick<Finding, 'message'>): string {
  const lines = [`**huashu** \`${spec.id}\` · ${spec.severity} · ${spec.category}`, '', finding?.message ?? spec.message];
  if (spec.description) lines.push('', spec.description);
  if (spec.why) lines.push('', `> ${spec.why.quote.replace(/\n/g, '\n> ')}`, '', `Source: ${spec.why.source.doc}, “${spec.why.source.section}”`);
  const alternatives = spec.suggest.filter((s) => s.kind === 'replace').map((s) => `\`${s.text}\`${s.safe ? ' (safe)' : ''}`);
  if (alternatives.length) lines.push('', `Instead: ${alternatives.join(', ')}`);
  lines.push('', `\`huashu explain ${spec.id}\` for examples.`);
  return lines.join('\n');
}

export function startLanguageServer(options: LspOptions = {}): Connection {
  const connection =
    options.input && options.output
      ? createConnection(new StreamMessageReader(options.input), new StreamMessageWriter(options.output))
      : createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const documents = new TextDocuments(TextDocument);
  const linter = new Linter(options.config, options.rules ?? [], (line) => connection.console.info(`huashu: ${line}`));
  /** Each open document's findings as last published, for code actions and hover. */
  const findings = new Map<string, { version: number; findings: Finding[] }>();
  const pending = new Map<string, NodeJS.Timeout>();
  let watchRegistration = false;
  /** Errors already shown to the user. */
  const shown = new Set<string>();

  const lintNow = async (doc: TextDocument): Promise<void> => {
    const path = pathOf(doc.uri);
    let found: Finding[] = [];
    try {
      const result = await linter.lint({ text: doc.getText(), ...(path !== undefined ? { path } : {}), kind: kindOf(doc) });
      found = result.findings;
    } catch (e) {
      // A config that does not load or a file that does not parse: said once in the log, no diagnostics.
      const expected = e instanceof RequestError || (e instanceof Error && e.name === 'RuleError');
      const message = expected ? (e as Error).message : String((e as Error)?.stack ?? e);
      connection.console.error(`huashu: ${doc.uri}: ${message}`);
      // A config or pack that does not load is shown once (until it changes), not for every keystroke.
      if (!expected || !(e instanceof RequestError && e.status === 422)) {
        if (!shown.has(message)) {
          shown.add(message);
          // A notification, not showMessageRequest: nothing waits on (or fails for want of) an answer.
          void connection
            .sendNotification(lsp.ShowMessageNotification.type, { type: lsp.MessageType.Error, message: `huashu: ${expected ? message : 'internal error (see the output log)'}` })
            .catch(() => {});
        }
      }
    }
    // The document may have changed (or closed) while it was linted: the newer lint publishes.
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return;
    findings.set(doc.uri, { version: doc.version, findings: found });
    const diagnostics: Diagnostic[] = found.map((f) => ({
      range: { start: doc.positionAt(f.offset), end: doc.positionAt(f.offset + f.length) },
      severity: SEVERITY[f.severity],
      code: f.ruleId,
      source: 'huashu',
      message: f.message,
      data: { ruleId: f.ruleId, offset: f.offset, length: f.length, excerpt: f.excerpt, replacements: f.suggestions.filter((s) => s.kind === 'replace' && s.safe).map((s) => s.text) } satisfies DiagnosticData,
    }));
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  /** Lint soon: keystrokes in quick succession are linted once. */
  const schedule = (doc: TextDocument, delayMs: number) => {
    clearTimeout(pending.get(doc.uri));
    pending.set(
      doc.uri,
      setTimeout(() => {
        pending.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) lintNow(current).catch((e: unknown) => connection.console.error(`huashu: ${current.uri}: ${String((e as Error)?.stack ?? e)}`));
      }, delayMs),
    );
  };

  const relintAll = (why: string) => {
    connection.console.info(`huashu: ${why}: linting ${documents.all().length} open document(s) again`);
    // Config files are looked up again (one created next to a document counts at once); rules are rebuilt
    // where a config or pack file is not as it was when they were built.
    linter.forgetLookups();
    shown.clear();
    for (const doc of documents.all()) schedule(doc, 0);
  };

  connection.onInitialize((params): InitializeResult => {
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'huashu' },
    };
  });

  connection.onInitialized(() => {
    // Config files and rule packs: a change re-lints the open documents.
    if (watchRegistration) {
      connection.client
        .register(lsp.DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/{huashu.config.yaml,.huashurc.yaml,.huashurc.json}' }, { globPattern: '**/*.{yaml,yml}', kind: lsp.WatchKind.Change }],
        })
        .catch((e: unknown) => connection.console.warn(`huashu: the editor would not watch config files (${(e as Error).message}): a config change shows at the next edit`));
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.length > 0) relintAll(params.changes.some((c) => c.type !== FileChangeType.Changed) ? 'a config file was created or deleted' : 'a config or rule file changed');
  });
  connection.onDidChangeConfiguration(() => relintAll('the configuration changed'));

  // (A document that opens is also a change of content: linted at once, not after the typing pause.)
  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => schedule(e.document, findings.has(e.document.uri) ? 150 : 0));
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    findings.delete(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => {});
  });

  connection.onCodeAction((params): CodeAction[] => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const kind = kindOf(doc);
    const actions: CodeAction[] = [];
    const disabled = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'huashu' || !diagnostic.data) continue;
      const data = diagnostic.data as DiagnosticData;
      // The diagnostic must still describe this text (the client may send one from an older version).
      const start = doc.offsetAt(diagnostic.range.start);
      const end = doc.offsetAt(diagnostic.range.end);
      if (start !== data.offset || end !== data.offset + data.length || text.slice(start, end) !== data.excerpt) continue;
      data.replacements.forEach((replacement, i) => {
        const edit = replacementEdit(text, kind, data, replacement);
        if (!edit) return;
        actions.push({
          title: `Replace '${text.slice(start, end)}' with '${replacement}' (huashu ${data.ruleId})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: i === 0,
          edit: { changes: { [doc.uri]: [{ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.text }] } },
        });
      });
      const line = diagnostic.range.start.line;
      if (disabled.has(`${line}\u0000${data.ruleId}`)) continue;
      disabled.add(`${line}\u0000${data.ruleId}`);
      const edit = disableLineEdit(text, kind, start, data.ruleId);
      if (!edit) continue;
      actions.push({
        title: `Disable ${data.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [doc.uri]: [{ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.text }] } },
      });
    }
    return actions;
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    const doc = documents.get(params.textDocument.uri);
    const published = findings.get(params.textDocument.uri);
    if (!doc || !published || published.version !== doc.version) return null;
    const at = doc.offsetAt(params.position);
    const here = published.findings.filter((f) => f.offset <= at && at < f.offset + Math.max(f.length, 1));
    if (here.length === 0) return null;
    let specs: Map<string, RuleSpec>;
    try {
      const prepared = await linter.rulesFor(pathOf(doc.uri));
      specs = new Map(prepared.configured.set.rules.map((r) => [r.spec.id, r.spec]));
    } catch {
      return null;
    }
    const parts = here.map((f) => {
      const spec = specs.get(f.ruleId);
      return spec ? ruleMarkdown(spec, f) : `**huashu** \`${f.ruleId}\`\n\n${f.message}`;
    });
    const first = here[0]!;
    return {
      contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
      range: { start: doc.positionAt(first.offset), end: doc.positionAt(first.offset + first.length) },
    };
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
