// Which script a draft is written in, so suggestions can be shown in the same one.
import { scriptOnlyClass } from './charmaps.js';

export type Script = 'simplified' | 'traditional-tw' | 'traditional-hk';

export interface ScriptInfo {
  /** The script suggestions are rendered in. */
  script: Script;
  /** True when both simplified-only and traditional-only characters occur in quantity. */
  mixed: boolean;
  simplifiedChars: number;
  traditionalChars: number;
}

// Written Cantonese particles and Hong Kong character forms: a traditional draft with them is HK usage.
const HONG_KONG_MARKERS = /[嘅係唔冇咗啲嚟佢喺哋嗰乜嘢噉咁啱攞睇俾諗嘥搵冚]|[綫衞説麪着裏]/u;

export function detectScript(text: string, fallback: Script = 'simplified'): ScriptInfo {
  let simplifiedChars = 0;
  let traditionalChars = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x3400) continue;
    // By code point, as for…of would, without a string per character.
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    const only = scriptOnlyClass(cp);
    if (only === 1) traditionalChars++;
    else if (only === 2) simplifiedChars++;
  }
  const total = simplifiedChars + traditionalChars;
  const mixed = total > 0 && Math.min(simplifiedChars, traditionalChars) / total >= 0.2;
  let script: Script = fallback;
  if (traditionalChars > simplifiedChars) {
    script = HONG_KONG_MARKERS.test(text) ? 'traditional-hk' : 'traditional-tw';
  } else if (simplifiedChars > traditionalChars) {
    script = 'simplified';
  } else if (total === 0 && fallback !== 'simplified' && HONG_KONG_MARKERS.test(text)) {
    script = 'traditional-hk';
  }
  return { script, mixed, simplifiedChars, traditionalChars };
}
