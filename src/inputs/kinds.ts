// The kinds of file huashu reads, by name. Kept apart from the readers so that naming them loads no parser.
import { extname } from 'node:path';

export type InputFormat = 'text' | 'markdown' | 'html' | 'json' | 'yaml';
export const INPUT_FORMATS: readonly InputFormat[] = ['text', 'markdown', 'html', 'json', 'yaml'];

/** File name extensions huashu reads, and how. A directory is searched for these. */
export const FORMAT_BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/** The format of a file by its name; undefined for a name huashu does not know (read as text when named). */
export function formatOf(path: string): InputFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
}

