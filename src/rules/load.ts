// Reading packs from disk: the built-in packs in <package>/rules and any the user names.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareRendering } from '../normalize/render.js';
import { compileRules, type CompileOptions, type RuleSet } from './compile.js';
import { RuleError } from './errors.js';
import { cachedPack } from './pack-cache.js';
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
  const source = text.replace(/^\uFEFF/, '');
  const cached = cachedPack(source, file);
  if (cached) return cached;
  const { parsePack } = await import('./parse.js');
  return parsePack(source, file);
}

export interface LoadRulesOptions {
  /** Include the built-in overpromise / negative / blame packs (default true). */
  builtin?: boolean;
  /** Extra pack files or folders. */
  packs?: readonly string[];
  /** Extra words for the segmenter (a config's `dictionary`). */
  dictionary?: readonly string[];
}

export async function loadPacks(options: LoadRulesOptions = {}): Promise<PackSpec[]> {
  const paths = [...(options.builtin === false ? [] : [BUILTIN_RULES_DIR]), ...(options.packs ?? [])];
  const files = (await Promise.all(paths.map(packFiles))).flat();
  return Promise.all(files.map(readPack));
}

/** Load, validate and compile rule packs. Throws RuleError with file:line:column on a bad pack. */
export async function loadRules(options: LoadRulesOptions = {}): Promise<RuleSet> {
  return buildRuleSet(await loadPacks(options), options);
}

/** The texts of packs that findings show in the draft's script: messages, suggestions, why quotes. */
export function renderedTexts(packs: readonly PackSpec[]): string[] {
  return packs.flatMap((p) => p.rules.flatMap((r) => [r.message, ...r.suggest.map((s) => s.text), ...(r.why ? [r.why.quote] : [])]));
}

/** Compile packs already read (and perhaps adjusted by a config) into a RuleSet ready to lint with. */
export async function buildRuleSet(packs: readonly PackSpec[], options: CompileOptions = {}): Promise<RuleSet> {
  const set = compileRules(packs, options);
  await prepareRendering(renderedTexts(packs));
  return set;
}
