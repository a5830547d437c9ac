// The draft's register, beyond its script: a Cantonese draft (我哋, 唔該, 嘅…) is answered in Cantonese,
// a Taiwan draft in Taiwan vocabulary. Texts the suggestion builder adds are written once in Standard
// Chinese (simplified) with a Cantonese form beside them, and rendered in the draft's script.
import { renderOurText } from '../normalize/render.js';
import type { Script } from '../normalize/index.js';
import { countMatches } from './count.js';

/** Written Cantonese markers: two of them (or one of the unmistakable ones) make a Cantonese draft. */
const CANTONESE = /[嘅唔咗冇喺哋啲嚟嗰乜嘢噉咁啱攞睇俾諗搵]|係(?!統|數)/gu;
const UNMISTAKABLE = /[嘅咗冇哋嘢]/u;

export function isCantonese(text: string): boolean {
  return countMatches(CANTONESE, text) >= 2 || UNMISTAKABLE.test(text);
}

/** Where suggestions are rendered: the script of the line, and whether it is written in Cantonese. */
export interface Register {
  script: Script;
  cantonese: boolean;
}

/** A text of ours in the draft's script and Taiwan vocabulary (the Cantonese form is chosen by the caller). */
export const render = renderOurText;

/** One of our phrases: Standard Chinese (simplified) and, where it differs, Cantonese. */
export interface Phrase {
  zh: string;
  yue?: string;
}

export function say(p: Phrase, r: Register): string {
  return render(r.cantonese && p.yue !== undefined ? p.yue : p.zh, r.script);
}

/** Every text a phrase table may render: prerendered at build time with the packs' own texts. */
export function phraseTexts(phrases: Iterable<Phrase>): string[] {
  const out: string[] = [];
  for (const p of phrases) {
    out.push(p.zh);
    if (p.yue !== undefined) out.push(p.yue);
  }
  return out;
}
