// The five training documents the built-in rules cite, by title, in each document's own script. Only
// these titles (and the short passages the rules quote in `why.quote`) ship with huashu: the documents
// themselves are copies of third-party web pages and are read at run time when the user has them
// (`huashu explain --seeds DIR`). A citation prints as 《title》§ section; the file name stays in
// JSON (`source.doc`) as the machine id.
import { normalizedText } from '../normalize/index.js';
import type { SourceRef } from '../rules/types.js';

export interface SeedDocument {
  /** File name: the id rules cite. */
  doc: string;
  /** In the document's own script. */
  title: string;
  /** false: the page has no title of its own and this one says what it is (in the document's script). */
  titled: boolean;
  script: 'traditional' | 'simplified';
  /** Who published it, where the document says so. */
  publisher?: string;
}

export const SEED_DOCUMENTS: readonly SeedDocument[] = [
  { doc: '000_904e8ece3c647f0d.txt', title: '客服應對技巧:如何有效管理客戶期望?', titled: true, script: 'traditional' },
  { doc: '001_66f55b2e406ff590.txt', title: '客服話術設計的四個原則', titled: false, script: 'traditional' },
  { doc: '002_c98b8a495b5e3139.txt', title: '意想不到的客户服务场景及应对话术', titled: false, script: 'simplified' },
  { doc: '003_a96b6ce7d2e94456.txt', title: '客戶服務的培訓課件', titled: true, script: 'traditional' },
  { doc: '004_8f7f00f946055e9e.txt', title: '客戶投訴的心理需求', titled: false, script: 'traditional', publisher: '易尚客服外包' },
];

const BY_DOC = new Map(SEED_DOCUMENTS.map((d) => [d.doc, d]));

export function seedDocument(doc: string): SeedDocument | undefined {
  return BY_DOC.get(doc);
}

/**
 * A citation as the pack wrote it, completed: the document's title, and the section in the document's
 * own script (packs cite the simplified document 002 in traditional characters). Other documents (a
 * team's own) are left as they are.
 */
export function resolveSource(source: SourceRef): SourceRef {
  const seed = BY_DOC.get(source.doc);
  if (!seed) return source;
  const section = seed.script === 'simplified' ? simplifiedSection(source.section) : source.section;
  return { doc: source.doc, title: seed.title, section, ...(source.line !== undefined ? { line: source.line } : {}) };
}

/** Sections cited in traditional characters, in a simplified document's script: a few, asked for often. */
const simplifiedSections = new Map<string, string>();

function simplifiedSection(section: string): string {
  let out = simplifiedSections.get(section);
  if (out === undefined) simplifiedSections.set(section, (out = normalizedText(section)));
  return out;
}

/** How a citation prints: 《title》§ section, or file:line § section for a document without a title. */
export function citeText(source: SourceRef): string {
  if (source.title) return `《${source.title}》§ ${source.section}`;
  return `${source.doc}${source.line !== undefined ? `:${source.line}` : ''} § ${source.section}`;
}
