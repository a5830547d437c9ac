// npm run eval — precision, recall and the clean false-flag rate of the built-in packs on the labeled
// drafts in fixtures/labeled/ (each *.jsonl file reported on its own). A draft counts as flagged for a
// category when it gets a warning- or error-level finding of that category, as in the acceptance test.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintText, loadRules } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'fixtures', 'labeled');
const CATEGORIES = ['overpromise', 'negative', 'blame'];
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const rules = await loadRules();
let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const drafts = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  let clean = 0;
  let cleanFlagged = 0;
  const errors = [];
  for (const d of drafts) {
    const findings = lintText(d.text, rules).filter((f) => f.severity !== 'info');
    const predicted = new Set(findings.map((f) => f.category));
    for (const c of CATEGORIES) {
      const gold = d.labels.includes(c);
      const pred = predicted.has(c);
      if (gold && pred) counts[c].tp++;
      else if (pred) counts[c].fp++, errors.push(['FP', c, d, findings.filter((f) => f.category === c)]);
      else if (gold) counts[c].fn++, errors.push(['FN', c, d, []]);
    }
    if (d.labels.length === 0) {
      clean++;
      if (predicted.size > 0) cleanFlagged++;
    }
  }
  console.log(`\n${file}: ${drafts.length} drafts`);
  console.log('category      precision  recall   tp  fp  fn');
  for (const c of CATEGORIES) {
    const { tp, fp, fn } = counts[c];
    const p = tp + fp ? tp / (tp + fp) : 1;
    const r = tp + fn ? tp / (tp + fn) : 1;
    if (p < 0.85 || r < 0.85) failed = true;
    console.log(`${c.padEnd(13)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${String(tp).padStart(4)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}`);
  }
  const rate = clean ? cleanFlagged / clean : 0;
  console.log(`clean drafts flagged: ${cleanFlagged}/${clean} = ${(rate * 100).toFixed(1)}%`);
  if (verbose) {
    for (const [kind, c, d, fs] of errors) {
      console.log(`  ${kind} ${c.padEnd(11)} ${d.id} ${d.text}${fs.length ? '  ⟵ ' + fs.map((f) => `${f.ruleId}「${f.excerpt}」`).join(' ') : ''}`);
    }
  }
}
process.exitCode = failed ? 1 : 0;
