// The findings of the suggestions that never change (model sentences and the packs' rewrites, in every
// script), linted once with the set `huashu lint` uses without a config: dist/dict/prechecked.json
// (src/suggest/prechecked.ts). Runs after the pack cache, the prerendered texts and the model cache, whose
// outputs that set is made from.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRECHECKED_FILE, precheckedFile, setFingerprint } from '../dist/suggest/prechecked.js';

rmSync(PRECHECKED_FILE, { force: true }); // computed afresh, never from an older build's
const { resolveConfig, rulesForConfig } = await import('../dist/config/index.js');
const { relintFindings } = await import('../dist/engine/lint.js');
const { constantCandidates } = await import('../dist/suggest/index.js');
const { set } = await rulesForConfig(await resolveConfig(undefined));
const fingerprint = setFingerprint(set);
if (fingerprint === undefined) throw new Error('build-prechecked: the built-in rules did not come from the pack and model caches (run the whole build)');
const texts = constantCandidates(set.rules.map((r) => r.spec));
const entries = texts.map((t) => [t, relintFindings(t, set)]);
mkdirSync(dirname(PRECHECKED_FILE), { recursive: true });
writeFileSync(`${PRECHECKED_FILE}.tmp`, precheckedFile(fingerprint, entries));
renameSync(`${PRECHECKED_FILE}.tmp`, PRECHECKED_FILE);
const flagged = entries.filter(([, f]) => f.length > 0).length;
console.log(`prechecked: ${texts.length} constant suggestions (${flagged} of them flagged by a rule)`);
