// Every safe fix on real agent turns: runs what `huashu fix` runs (the built-in packs' `safe: true`
// replacements, their guards, repeated to a fixed point) on each agent turn of the shared corpus
// (../shared/corpus: real dialogues, read here and never copied into the project), and lists every
// application with its context, so that each can be judged: does the replacement keep the meaning?
// Prints a count per rule and replacement; `--list` prints every application (`--rule id` only that rule's).
// Skips with a note when ../shared is absent.
// Usage: node bench/safe-fixes.mjs [--list] [--rule negative/problem-noun] [--json]   (after npm run build)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, ROOT } from './lib.mjs';

const args = process.argv.slice(2);
const list = args.includes('--list');
const asJson = args.includes('--json');
const onlyRule = args.includes('--rule') ? args[args.indexOf('--rule') + 1] : undefined;

if (!existsSync(CORPUS_DIR)) {
  console.log(`safe-fixes: skipped: ${CORPUS_DIR} is not here (the shared corpus is read at run time, never copied)`);
  process.exit(0);
}
const dist = (p) => import(join(ROOT, 'dist', p));
const [{ loadRules }, { lintText }, { fixText }] = await Promise.all([dist('rules/load.js'), dist('engine/lint.js'), dist('edits/apply.js')]);
const set = await loadRules();

/** Agent turns of the corpus: JSON lines with role "agent", and the CSV's agent rows. */
function* agentTurns() {
  for (const name of readdirSync(CORPUS_DIR).sort()) {
    const file = join(CORPUS_DIR, name);
    if (name.endsWith('.jsonl')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const row = JSON.parse(line);
        if (row.role === 'agent' && typeof row.text === 'string') yield { where: `${name}:${row.dialogue_id}:${row.turn}`, text: row.text };
      }
    }
  }
}

const CONTEXT = 14;
const oneLine = (s) => s.replace(/\s+/g, ' ');
let turns = 0;
let changed = 0;
const applications = [];
const t0 = performance.now();
for (const { where, text } of agentTurns()) {
  turns++;
  const result = fixText(text, (t) => lintText(t, set));
  if (result.text === text) continue;
  changed++;
  // Each fix as reported in the pass that made it: offsets are those of the text of that pass; with one
  // pass (the usual case) that is the turn itself.
  let current = text;
  for (const f of result.fixed) {
    const s = f.suggestions.find((x) => x.kind === 'replace' && x.safe === true);
    const at = current.slice(f.offset, f.offset + f.length) === f.excerpt ? f.offset : current.indexOf(f.excerpt);
    applications.push({
      rule: f.ruleId,
      excerpt: f.excerpt,
      replacement: s.text,
      where,
      before: oneLine(current.slice(Math.max(0, at - CONTEXT), at)),
      after: oneLine(current.slice(at + f.length, at + f.length + CONTEXT)),
    });
  }
  current = result.text;
}
const seconds = (performance.now() - t0) / 1000;

const counts = new Map();
for (const a of applications) {
  const key = `${a.rule}  ${a.excerpt} → ${a.replacement}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
if (asJson) {
  console.log(JSON.stringify({ turns, changed, applications: applications.length, byFix: Object.fromEntries(counts), list: list ? applications : undefined }, null, 2));
} else {
  console.log(`safe fixes on ${turns.toLocaleString('en')} agent turns of ${CORPUS_DIR} (${seconds.toFixed(1)} s): ${applications.length} applications in ${changed} turns`);
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${key}`);
  if (list) {
    console.log('');
    for (const a of applications) {
      if (onlyRule && a.rule !== onlyRule) continue;
      console.log(`${a.rule}\t…${a.before}【${a.excerpt}→${a.replacement}】${a.after}…\t${a.where}`);
    }
  }
}
