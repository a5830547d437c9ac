// Reading packs from disk: the built-in packs in <package>/rules and any the user names.
import { suggestionTexts } from '../suggest/index.js';
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReadLimitError, readRegularFile } from '../inputs/read-limited.js';
import { prepareRendering } from '../normalize/render.js';
import { compileRules, type CompileOptions, type RuleSet } from './compile.js';
import { RuleError } from './errors.js';
import { PACK_LIMITS } from './limits.js';
import { cachedPack } from './pack-cache.js';
import type { PackSpec } from './types.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const isPackFile = (name: string) => ['.yaml', '.yml'].includes(extname(name).toLowerCase());

/** The pack files a path names: the file itself, or the .yaml/.yml files of a folder, sorted. */
export async function packFiles(path: string): Promise<string[]> {
  // Synchronous, as below: each asynchronous call is a wait on libuv's thread pool at every start.
  let info;
  try {
    info = statSync(path);
  } catch {
    throw new RuleError('rule pack not found', path);
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new RuleError('a rule pack must be a .yaml file or a directory of them', path);
  let names: string[];
  try {
    names = readdirSync(path).filter(isPackFile).sort();
  } catch (e) {
    throw new RuleError(`cannot read rule pack directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
  // An empty folder would load no rules and pass every draft.
  if (names.length === 0) throw new RuleError('no rule packs (.yaml or .yml files) in this directory', path);
  return names.map((n) => join(path, n));
}

export async function readPack(file: string): Promise<PackSpec> {
  let bytes: Buffer;
  try {
    // Refuse a huge file before reading it into memory (parsePack checks the text again).
    const { size } = statSync(file);
    if (size > PACK_LIMITS.bytes) throw new RuleError(`rule pack too large (${size} bytes; at most ${PACK_LIMITS.bytes}): split it into several packs`, file);
    // A FIFO or device named *.yaml (or /dev/zero through `extends`) must not block or fill memory.
    bytes = readRegularFile(file, PACK_LIMITS.bytes);
  } catch (e) {
    if (e instanceof RuleError) throw e;
    if (e instanceof ReadLimitError) {
      throw new RuleError(e.code === 'EFBIG' ? `rule pack too large (more than ${PACK_LIMITS.bytes} bytes): split it into several packs` : `rule pack is ${e.message}`, file);
    }
    throw new RuleError(`cannot read rule pack: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  // The cache compares bytes: a built-in pack is never decoded at all.
  const cached = cachedPack(bytes, file);
  if (cached) return cached;
  const { parsePack } = await import('./parse.js');
  return parsePack(bytes.toString('utf8').replace(/^\uFEFF/, ''), file);
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
  return [...packs.flatMap((p) => p.rules.flatMap((r) => [r.message, ...r.suggest.map((s) => s.text), ...(r.why ? [r.why.quote] : [])])), ...suggestionTexts()];
}

/** Compile packs already read (and perhaps adjusted by a config) into a RuleSet ready to lint with. */
export async function buildRuleSet(packs: readonly PackSpec[], options: CompileOptions = {}): Promise<RuleSet> {
  // Users' packs may come from anywhere: their regular expressions must not backtrack catastrophically.
  // (The built-in packs are checked by the test-suite; recheck is loaded only when needed.)
  const userPacks = packs.filter((p) => !p.file.startsWith(BUILTIN_RULES_DIR));
  if (userPacks.some((p) => p.rules.some((r) => r.regexes?.length))) {
    const { checkPackRegexes } = await import('./redos.js');
    await checkPackRegexes(userPacks);
  }
  const set = compileRules(packs, options);
  await prepareRendering(renderedTexts(packs));
  return set;
}
