// Rendering rule text (messages, suggestions) in the draft's own script. Pack authors write in either
// script; the built-in packs quote the (traditional) seed documents. Converters are built lazily from
// the few OpenCC dictionaries each direction needs, so a simplified-only run never loads the large
// simplified→traditional phrase table.
import { ConverterFactory, type ConverterFunction } from 'opencc-js/core';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWPhrases from 'opencc-js/dict/TWPhrases';
import TWVariantsPhrases from 'opencc-js/dict/TWVariantsPhrases';
import TWVariants from 'opencc-js/dict/TWVariants';
import HKVariantsPhrases from 'opencc-js/dict/HKVariantsPhrases';
import HKVariants from 'opencc-js/dict/HKVariants';
import { detectScript, type Script } from './script.js';

const converters = new Map<string, ConverterFunction>();

function converter(name: string, build: () => ConverterFunction): ConverterFunction {
  let c = converters.get(name);
  if (!c) {
    c = build();
    converters.set(name, c);
  }
  return c;
}

const toSimplified = (t: string) =>
  converter('t2s', () => ConverterFactory([[TWVariantsRevPhrases, TWVariantsRev]], [[TSPhrases, TSCharacters]]))(t);

async function loadS2T(): Promise<ConverterFunction> {
  const [{ default: STPhrases }, { default: STCharacters }] = await Promise.all([
    import('opencc-js/dict/STPhrases'),
    import('opencc-js/dict/STCharacters'),
  ]);
  return ConverterFactory([[STPhrases, STCharacters]]);
}

let s2t: ConverterFunction | undefined;

/** Must be awaited once before rendering simplified-authored text in a traditional script. */
export async function prepareTraditionalRendering(): Promise<void> {
  s2t ??= await loadS2T();
}

function toStandardTraditional(text: string): string {
  if (detectScript(text).simplifiedChars === 0) return text;
  if (!s2t) throw new Error('prepareTraditionalRendering() was not awaited');
  return s2t(text);
}

const cache = new Map<string, string>();

export function renderInScript(text: string, script: Script): string {
  const key = script + '\u0000' + text;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let out: string;
  if (script === 'simplified') out = toSimplified(text);
  else if (script === 'traditional-tw')
    out = converter('t2tw', () => ConverterFactory([[TWPhrases], [TWVariantsPhrases, TWVariants]]))(toStandardTraditional(text));
  else out = converter('t2hk', () => ConverterFactory([[HKVariantsPhrases, HKVariants]]))(toStandardTraditional(text));
  cache.set(key, out);
  return out;
}

/** True when rendering this text in a traditional script needs the simplified→traditional table. */
export function needsS2T(text: string): boolean {
  return detectScript(text).simplifiedChars > 0;
}
