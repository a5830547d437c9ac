// Reading packs from disk: the built-in packs in <package>/rules and any the user names.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareTraditionalRendering, needsS2T } from '../normalize/render.js';
import { compileRules, type RuleSet } from './compile.js';
import { RuleError } from './errors.js';
import { parsePack } from './parse.js';
import type { PackSpec } from './types.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const isPackFile = (name: string) => ['.yaml', '.yml'].includes(extname(name).toLowerCase());

/** The pack files a path names: the file itself, or the .yaml/.yml files of a folder, sorted. */
export async function packFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new RuleError('rule pack not found', path);
  }
  if (info.isFile()) return [path];
  const names = (await readdir(path)).filter(isPackFile).sort();
  return names.map((n) => join(path, n));
}

export async function readPack(file: string): Promise<PackSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RuleError(`cannot read rule pack: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  return parsePack(text.replace(/^\uFEFF/, ''), file);
}

export interface LoadRulesOptions {
  /** Include the built-in overpromise / negative / blame packs (default true). */
  builtin?: boolean;
  /** Extra pack files or folders. */
  packs?: readonly string[];
}

export async function loadPacks(options: LoadRulesOptions = {}): Promise<PackSpec[]> {
  const paths = [...(options.builtin === false ? [] : [BUILTIN_RULES_DIR]), ...(options.packs ?? [])];
  const files = (await Promise.all(paths.map(packFiles))).flat();
  return Promise.all(files.map(readPack));
}

/** Load, validate and compile rule packs. Throws RuleError with file:line:column on a bad pack. */
export async function loadRules(options: LoadRulesOptions = {}): Promise<RuleSet> {
  const packs = await loadPacks(options);
  const set = compileRules(packs);
  const texts = set.rules.flatMap((r) => [r.spec.message, ...r.spec.suggest.map((s) => s.text)]);
  if (texts.some(needsS2T)) await prepareTraditionalRendering();
  return set;
}
