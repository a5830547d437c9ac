// fast-check generators for hostile draft text. Texts are built from pieces so that they mix every kind
// of character the engine has to survive *and* contain the rule packs' own trigger words (phrases and the
// `examples.bad` sentences of rules/*.yaml, in simplified and traditional script), so findings occur.
import fc from 'fast-check';
import { prepareRendering, renderInScript } from '../../src/normalize/render.js';
import type { RuleSet } from '../../src/rules/compile.js';

const charFrom = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((cp) => String.fromCodePoint(cp));
const oneOfStrings = (list: readonly string[]) => fc.constantFrom(...list);

/** Trigger words and sentences of a rule set, in simplified, Taiwan and Hong Kong script. */
export async function triggerTexts(rules: RuleSet): Promise<{ phrases: string[]; sentences: string[] }> {
  await prepareRendering(); // phrases are stored simplified
  const phrases = new Set<string>();
  const sentences = new Set<string>();
  for (const rule of rules.rules) {
    for (const p of rule.phrases) {
      phrases.add(p);
      phrases.add(renderInScript(p, 'traditional-tw'));
      phrases.add(renderInScript(p, 'traditional-hk'));
    }
    for (const bad of rule.spec.examples?.bad ?? []) {
      sentences.add(bad);
      sentences.add(renderInScript(bad, 'simplified'));
      sentences.add(renderInScript(bad, 'traditional-hk'));
    }
  }
  return { phrases: [...phrases], sentences: [...sentences] };
}

const LINE_BREAKS = ['\n', '\r', '\r\n', '\r\n\r\n', '\n\r'];
// Zero-width characters, BOM, soft hyphen, bidi embeddings/overrides/isolates, word joiner, LRM/RLM.
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u00ad', '\u061c'];
const PUNCTUATION = ['，', '。', '！', '？', '、', '；', '：', '「', '」', '…', '～', ',', '.', '!', '?', ';', ':', '(', ')', '"', '“', '”', '｡', ' ', '  ', '\t', '\u3000', '\u3000\u3000'];
// Pinyin readings as web copies paste them after characters, and plain pinyin with tone marks.
const PINYIN = ['(hù)', '(wèn)', '(tí)', '(bǎo)', '(zhèng)', '(lǜ)', '(ǹg)', '(ḿ)', 'nǐ hǎo', 'bǎozhèng', '(Hù)', '(hu)', '(', ')', '(ā', 'ǖǘǚǜ'];
// Compatibility forms normalization expands with NFKC (some to several characters: ㍻ → 平成, ⑴ → (1)).
const COMPAT = ['①', '⑴', '⒈', '⼀', '⼈', '㍻', '㈱', '㊙', '豈', '﹐', '﹖', '𠀋', '丽', '㌀', String.fromCodePoint(0x2f800)];
const COMBINING = charFrom(0x300, 0x36f);

export function pieceArbitrary(triggers: { phrases: string[]; sentences: string[] }): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: oneOfStrings(triggers.phrases) },
    { weight: 2, arbitrary: oneOfStrings(triggers.sentences) },
    { weight: 4, arbitrary: charFrom(0x4e00, 0x9fff) }, // any Han, simplified or traditional
    { weight: 1, arbitrary: charFrom(0x3400, 0x4dbf) }, // extension A
    { weight: 3, arbitrary: charFrom(0x20, 0x7e) }, // ASCII
    { weight: 1, arbitrary: charFrom(0x0, 0x1f) }, // control characters, NUL included
    { weight: 2, arbitrary: charFrom(0xff01, 0xff5e) }, // full-width forms
    { weight: 2, arbitrary: fc.oneof(charFrom(0x1f300, 0x1faff), charFrom(0x20000, 0x2a6df), charFrom(0x10000, 0x10ffff)) }, // astral
    { weight: 1, arbitrary: oneOfStrings(['👍🏻', '👨‍👩‍👧', '🇨🇳', '❤️', '1️⃣']) }, // emoji sequences
    { weight: 2, arbitrary: COMBINING },
    { weight: 3, arbitrary: oneOfStrings(LINE_BREAKS) },
    { weight: 3, arbitrary: oneOfStrings(INVISIBLES) },
    { weight: 4, arbitrary: oneOfStrings(PUNCTUATION) },
    { weight: 2, arbitrary: charFrom(0xd800, 0xdfff) }, // lone surrogates (high or low)
    { weight: 2, arbitrary: oneOfStrings(PINYIN) },
    { weight: 1, arbitrary: oneOfStrings(COMPAT) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  );
}

/** A hostile draft: up to `maxPieces` pieces joined. */
export function draftArbitrary(triggers: { phrases: string[]; sentences: string[] }, maxPieces = 40): fc.Arbitrary<string> {
  // size 'max': lengths spread over the whole range (fast-check's default keeps arrays to about ten items).
  return fc.array(pieceArbitrary(triggers), { maxLength: maxPieces, size: 'max' }).map((pieces) => pieces.join(''));
}

/**
 * A user pack written to stress the engine rather than to be useful: patterns that match white space and
 * line breaks (and so can end inside a CRLF), any character (so inside surrogate pairs and combining
 * sequences), lookbehind, and phrases written with full-width and compatibility forms.
 */
export const STRESS_PACK = `pack: stress
rules:
  - { id: stress/space-after, kind: pattern, category: s1, message: m, match: { patterns: ['保证\\s'] } }
  - { id: stress/space-before, kind: pattern, category: s2, message: m, match: { patterns: ['\\s一定'] } }
  - { id: stress/any-before, kind: pattern, category: s3, message: m, match: { patterns: ['[\\s\\S]会'] } }
  - { id: stress/line-breaks, kind: pattern, category: s4, message: m, match: { patterns: ['\\s'] } }
  - { id: stress/dot, kind: pattern, category: s5, message: m, match: { patterns: ['.{1,2}(?=[，。])', '(?<=\\p{Script=Han})\\p{M}+'] } }
  - { id: stress/wide, kind: phrase, category: s6, boundary: none, message: m, match: { phrases: ['ＡＢ', '①', '㍻', '保　证', '100%'] } }
  - { id: stress/astral, kind: pattern, category: s7, message: m, match: { patterns: ['\\p{Extended_Pictographic}+', '[\\u{20000}-\\u{2a6df}]'] } }
`;
