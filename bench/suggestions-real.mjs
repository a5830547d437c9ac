// Suggestions on real turns: for the first N findings on ../shared/labeled/real-dev.jsonl (research-only
// data, read at run time, never copied into the project), print each finding's top suggestion, the
// trainer's `better` text, and — with --before <dir> — the top suggestion a second huashu build (e.g. a
// worktree of main) gives for the same finding. Skips cleanly when the shared data is absent.
// Usage: node bench/suggestions-real.mjs [count=60] [--before /path/to/other/huashu] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 60);
const beforeAt = args.indexOf('--before');
const beforeDir = beforeAt >= 0 ? resolve(args[beforeAt + 1]) : undefined;
const asJson = args.includes('--json');
const data = join(here, '..', '..', 'shared', 'labeled', 'real-dev.jsonl');
if (!existsSync(data)) {
  console.log(`skipped: ${data} is absent (research data, not shipped)`);
  process.exit(0);
}

async function linter(dir) {
  const lib = await import(pathToFileURL(join(dir, 'dist', 'index.js')).href);
  const rules = await lib.loadRules();
  return (text) => lib.lintText(text, rules);
}

const after = await linter(join(here, '..'));
const before = beforeDir ? await linter(beforeDir) : undefined;
const rows = readFileSync(data, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const out = [];
for (const row of rows) {
  if (out.length >= count) break;
  for (const f of after(row.text)) {
    if (out.length >= count) break;
    const old = before?.(row.text).find((g) => g.ruleId === f.ruleId && g.offset === f.offset);
    out.push({ id: row.id, ruleId: f.ruleId, excerpt: f.excerpt, text: row.text, better: row.better ?? '', before: old?.suggestions[0]?.text ?? '', after: f.suggestions[0]?.text ?? '', afterKind: f.suggestions[0]?.kind ?? '' });
  }
}
if (asJson) console.log(JSON.stringify(out, null, 1));
else {
  out.forEach((r, i) => {
    console.log(`#${i + 1} ${r.id} ${r.ruleId} 「${r.excerpt}」\n  text:   ${r.text}\n  better: ${r.better}`);
    if (before) console.log(`  before: ${r.before}`);
    console.log(`  after:  [${r.afterKind}] ${r.after}`);
  });
}
