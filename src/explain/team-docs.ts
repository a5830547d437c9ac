// A team's own training documents (config `documents: [docs/話術手冊.md, …]`: Markdown, text, HTML).
// huashu reads their model replies — the lines marked 正確示範 / 推薦話術 / 範例 / 改為 / 建議說, or the
// 「quoted」 reply on such a line — with the file, section (nearest heading) and line they come from, and
// offers them as alternatives for findings of the same category (told by the wrong examples next to
// them, as huashu's own rules flag them, or by the section's words) and, among those, the same topic
// (delivery, refund, repair, account, …). A model reply that a rule would itself flag is never offered.
import { readFile } from 'node:fs/promises';
import { extname, relative } from 'node:path';
import { decodeHTML } from 'entities';
import type { Finding, Suggestion } from '../engine/findings.js';
import { lintText } from '../engine/lint.js';
import { normalizedText } from '../normalize/index.js';
import { topicsIn } from '../suggest/models.js';
import { prepareRendering, renderInScript } from '../normalize/render.js';
import type { RuleSet } from '../rules/compile.js';

export interface TeamReply {
  /** The model reply as the document writes it. */
  text: string;
  /** The document, relative to the working directory. */
  doc: string;
  section: string;
  /** 1-based line of the reply in the document. */
  line: number;
  /** Categories it answers (from the wrong examples beside it, or its section's words); empty: unknown. */
  categories: string[];
  topics: string[];
  /** Rules that flag the reply itself: then it is listed but never offered. */
  flaggedBy: string[];
}

export interface TeamDocProblem {
  path: string;
  error: string;
}

export interface TeamLibrary {
  documents: string[];
  replies: TeamReply[];
  problems: TeamDocProblem[];
}

/** Markers of a model reply, and of a wrong one (normalized: simplified, half-width). */
const GOOD = /(正确示范|正确说法|正确回复|推荐话术|推荐说法|推荐回复|标准话术|参考话术|范例|示范|改为|改成|建议说|可以说|应该说|好的回复|好的说法|✓|✔|✅|⭕)/;
const BAD = /(错误示范|错误说法|错误回复|反面|不要说|避免说|别说|禁用|不推荐|✗|✘|❌|×)/;
/** How far into a line a marker may start. */
const MARKER_WITHIN = 8;
const QUOTED = /「([^」]{2,300})」|『([^』]{2,300})』|“([^”]{2,300})”|"([^"\n]{2,300})"/g;

/** Category words in a section heading or a marker line. */
const CATEGORY_WORDS: [string, RegExp][] = [
  ['overpromise', /(承诺|保证|打包票|期望|时效|多久|一定会|绝对)/],
  ['negative', /(拒绝|无法|不能|没办法|负面|否定|肯定句|不知道|投诉|不行)/],
  ['blame', /(推卸|责任|指责|怪|甩锅|找借口|借口|客户的错)/],
];

/** What a reply is about: the topics the suggestion builder uses for drafts (src/suggest/models.ts). */
export function topicsOf(text: string): string[] {
  return topicsIn(normalizedText(text));
}

interface DocLine {
  text: string;
  line: number;
  heading: boolean;
}

/** Blank out a match but keep its line breaks, so line numbers stay those of the file. */
const keepLines = (s: string) => s.replace(/[^\n]/g, '');

/** A document's lines of prose, each with its line number, headings marked; code and markup left out. */
export function documentLines(path: string, text: string): DocLine[] {
  const ext = extname(path).toLowerCase();
  let body = text.replace(/^\uFEFF/, '');
  const headingLine = new Set<number>();
  if (ext === '.html' || ext === '.htm') {
    body = body
      .replace(/<(script|style|pre|code)\b[\s\S]*?<\/\1\s*>/gi, keepLines)
      .replace(/<!--[\s\S]*?-->/g, keepLines)
      .replace(/<h[1-6]\b[^>]*>/gi, '\u0001')
      .replace(/<[^>]*>/g, keepLines);
    body = body
      .split('\n')
      .map((l) => decodeHTML(l))
      .join('\n');
  }
  const lines = body.split(/\r\n|\r|\n/);
  const out: DocLine[] = [];
  let fence = false;
  const markdown = ext === '.md' || ext === '.markdown';
  lines.forEach((raw, i) => {
    let l = raw;
    if (markdown && /^\s*(```|~~~)/.test(l)) {
      fence = !fence;
      return;
    }
    if (fence) return;
    let heading = false;
    if (l.includes('\u0001')) {
      heading = true;
      l = l.replace(/\u0001/g, '');
    }
    if (/^\s{0,3}#{1,6}\s/.test(l)) {
      heading = true;
      l = l.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
    }
    if (markdown) {
      l = l
        .replace(/^\s*>\s?/, '')
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
        .replace(/`[^`]*`/g, '')
        .replace(/<!--.*?-->/g, '')
        .replace(/\*\*|__/g, '');
    }
    l = l.trim();
    if (!l) return;
    // A plain-text heading: 一、…, 1. … or a short line without sentence punctuation.
    if (!heading && !markdown && ext !== '.html' && ext !== '.htm') {
      heading = /^([一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章節节])/.test(l) || (l.length <= 24 && !/[。！？!?，,：:「」"“”]/.test(l));
    }
    out.push({ text: l, line: i + 1, heading });
  });
  return out;
}

/** The reply on a marker line: its quoted text, else what follows the marker and a colon. */
function repliesOn(line: string, markerEnd: number): string[] {
  const rest = line.slice(markerEnd);
  const quoted = [...rest.matchAll(QUOTED)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4])!.trim());
  if (quoted.length) return quoted;
  const after = /^[^:：]{0,8}[:：]\s*(.+)$/.exec(rest);
  return after ? [after[1]!.trim()] : [];
}

/** Model replies of one document, with the wrong examples of their sections. */
export function extractReplies(path: string, text: string, doc = path): { reply: Omit<TeamReply, 'categories' | 'topics' | 'flaggedBy'>; wrong: string[]; sectionWords: string }[] {
  const lines = documentLines(path, text);
  const out: { reply: Omit<TeamReply, 'categories' | 'topics' | 'flaggedBy'>; wrong: string[]; sectionWords: string }[] = [];
  let section = '';
  let wrong: string[] = [];
  let pendingGood = false;
  let pendingBad = false;
  for (const l of lines) {
    if (l.heading) {
      section = l.text;
      wrong = [];
      pendingGood = pendingBad = false;
      continue;
    }
    const n = normalizedText(l.text);
    // A marker starts the line (after a bullet or a few words: 正確示範, 店長推薦話術): one in the middle
    // of a sentence is prose about replies, not one.
    const bad = BAD.exec(n);
    const good = GOOD.exec(n);
    if (good && good.index > MARKER_WITHIN) good.index = Infinity;
    if (bad && bad.index > MARKER_WITHIN) bad.index = Infinity;
    if (bad && bad.index !== Infinity && (!good || bad.index <= good.index)) {
      const found = repliesOn(l.text, bad.index + bad[0].length);
      wrong.push(...found);
      pendingBad = found.length === 0;
      pendingGood = false;
      continue;
    }
    if (good && good.index !== Infinity) {
      const found = repliesOn(l.text, good.index + good[0].length);
      for (const t of found) out.push({ reply: { text: t, doc, section, line: l.line }, wrong: [...wrong], sectionWords: `${section} ${l.text}` });
      pendingGood = found.length === 0;
      pendingBad = false;
      continue;
    }
    // A marker alone on its line ("正確示範：") names the next line.
    if (pendingGood) {
      const t = l.text.replace(/^[「『“"]|[」』”"]$/g, '');
      out.push({ reply: { text: t, doc, section, line: l.line }, wrong: [...wrong], sectionWords: section });
    } else if (pendingBad) {
      wrong.push(l.text.replace(/^[「『“"]|[」』”"]$/g, ''));
    }
    pendingGood = pendingBad = false;
  }
  // A wrong example written after its model reply counts for it too.
  return out.map((o) => ({ ...o, wrong: o.wrong.length ? o.wrong : [] }));
}

/** Read a team's documents: their model replies, categorised, and the documents that could not be read. */
export async function loadTeamLibrary(paths: readonly string[], set: RuleSet, cwd = process.cwd()): Promise<TeamLibrary> {
  const replies: TeamReply[] = [];
  const problems: TeamDocProblem[] = [];
  for (const path of paths) {
    const shown = relative(cwd, path) || path;
    const ext = extname(path).toLowerCase();
    if (!['.md', '.markdown', '.txt', '.text', '.html', '.htm'].includes(ext)) {
      problems.push({ path: shown, error: `not a document huashu reads (Markdown, text or HTML: .md .txt .html), not ${ext || 'no extension'}` });
      continue;
    }
    let text: string;
    try {
      const bytes = await readFile(path);
      if (bytes.length > 4 * 1024 * 1024) throw Object.assign(new Error('larger than 4 MB'), { code: 'EFBIG' });
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({
        path: shown,
        error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : code === 'EFBIG' ? 'larger than 4 MB' : e instanceof TypeError ? 'not valid UTF-8' : (code ?? (e as Error).message),
      });
      continue;
    }
    const found = extractReplies(path, text, shown);
    if (found.length === 0) {
      problems.push({ path: shown, error: 'no model replies found (lines marked 正確示範, 推薦話術, 範例, 改為 …)' });
      continue;
    }
    for (const { reply, wrong, sectionWords } of found) {
      const categories = new Set<string>();
      for (const w of wrong) for (const f of lintText(w, set)) categories.add(f.category);
      if (categories.size === 0) {
        const words = normalizedText(sectionWords);
        for (const [category, re] of CATEGORY_WORDS) if (re.test(words)) categories.add(category);
      }
      const flaggedBy = [...new Set(lintText(reply.text, set).filter((f) => f.severity !== 'info').map((f) => f.ruleId))];
      replies.push({ ...reply, categories: [...categories].sort(), topics: topicsOf(`${reply.text} ${reply.section}`), flaggedBy });
    }
  }
  await prepareRendering(replies.map((r) => r.text));
  return { documents: paths.map((p) => relative(cwd, p) || p), replies, problems };
}

/**
 * The team's model replies for a finding: of its category, same-topic ones first (a reply of another
 * topic only when the draft's sentence has no topic); never one a rule flags. At most `max`.
 */
export function teamAlternatives(library: TeamLibrary, finding: Finding, text: string, max = 2): Suggestion[] {
  if (library.replies.length === 0) return [];
  const line = text.split(/\r\n|\r|\n/)[finding.line - 1] ?? '';
  const topics = topicsOf(line);
  const scored = library.replies
    .filter((r) => r.flaggedBy.length === 0 && r.categories.includes(finding.category))
    .map((r) => ({ r, score: r.topics.filter((t) => topics.includes(t)).length }))
    .filter(({ r, score }) => score > 0 || topics.length === 0 || r.topics.length === 0)
    .sort((a, b) => b.score - a.score);
  return scored.slice(0, max).map(({ r }) => ({
    kind: 'rewrite' as const,
    text: renderInScript(r.text, finding.script),
    source: { doc: r.doc, section: r.section, line: r.line },
  }));
}

/** Findings with the team's model replies added to their alternatives (after the replacements). */
export function withTeamAlternatives(library: TeamLibrary | undefined, findings: Finding[], text: string): Finding[] {
  if (!library || library.replies.length === 0) return findings;
  return findings.map((f) => {
    const team = teamAlternatives(library, f, text).filter((t) => !f.suggestions.some((s) => s.text === t.text));
    if (team.length === 0) return f;
    const replaces = f.suggestions.filter((s) => s.kind === 'replace');
    const rewrites = f.suggestions.filter((s) => s.kind !== 'replace');
    return { ...f, suggestions: [...replaces, ...team, ...rewrites] };
  });
}
