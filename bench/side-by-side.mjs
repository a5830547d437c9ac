// huashu next to textlint + textlint-rule-prh (with a prh dictionary made from huashu's phrase rules,
// bench/textlint/make-prh.mjs) on the same text:
//   1. the corpus's agent turns, one per line, repeated to --mb megabytes: wall, CPU, peak RSS, findings;
//   2. the labeled drafts of fixtures/labeled/dev*.jsonl: precision and recall of each tool, per category
//      and for "has a problem", and drafts prh flags wrongly where huashu does not.
// textlint is installed into bench/textlint only: `npm run bench:textlint` (never by the root install).
// Usage: node bench/side-by-side.mjs [--mb 5] [--runs 3] [--per-phrase] [--json]   (after npm run build)
//   --per-phrase: one prh rule per phrase (a hand-written dictionary's shape) instead of one per huashu rule
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, corpusText, loadAverage, mb, median, runTimed, table, tmpFile } from './lib.mjs';

const TEXTLINT = join(ROOT, 'bench', 'textlint', 'node_modules', 'textlint', 'bin', 'textlint.js');
const CATEGORIES = ['overpromise', 'negative', 'blame'];

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

export const hasTextlint = () => existsSync(TEXTLINT);

/** A .textlintrc.json using textlint-rule-prh with `dictionary`, written next to it. */
function textlintConfig(dir, name, dictionary) {
  const file = join(dir, `${name}.textlintrc.json`);
  writeFileSync(file, JSON.stringify({ rules: { prh: { rulePaths: [dictionary] } } }));
  return file;
}

function runTextlint(config, file, options = {}) {
  return runTimed(process.execPath, [TEXTLINT, '--config', config, '--format', 'json', '--no-color', file], { keepStdout: true, cwd: join(ROOT, 'bench', 'textlint'), ...options });
}

/** textlint's messages by line (1-based). */
function textlintMessages(stdout) {
  return JSON.parse(stdout).flatMap((f) => f.messages);
}

function timedRuns(runs, run) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = run();
    if (s.status !== 0 && s.status !== 1) throw new Error(s.stderr.slice(0, 500));
    samples.push(s);
  }
  return {
    samples,
    wallMs: median(samples.map((s) => s.wall)),
    cpuMs: samples[0].cpu === undefined ? undefined : median(samples.map((s) => s.cpu)),
    rssMB: samples[0].rss === undefined ? undefined : median(samples.map((s) => s.rss)),
  };
}

/** Precision is undefined (not 1) for a tool that flags nothing: prh has no blame dictionary. */
function scores(counts) {
  const { tp, fp, fn } = counts;
  return { precision: tp + fp ? tp / (tp + fp) : undefined, recall: tp + fn ? tp / (tp + fn) : undefined, ...counts };
}

/** Precision and recall of both tools on the labeled dev drafts. */
async function labeledComparison(dir, dictionaries) {
  const labeledDir = join(ROOT, 'fixtures', 'labeled');
  const drafts = readdirSync(labeledDir)
    .filter((f) => /^dev.*\.jsonl$/.test(f))
    .sort()
    .flatMap((f) => readFileSync(join(labeledDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  // One draft a line for textlint (prh does not care about lines).
  const file = join(dir, 'labeled.txt');
  writeFileSync(file, drafts.map((d) => d.text.replace(/\r?\n|\r/g, ' ')).join('\n') + '\n');
  const prh = {};
  const prhHits = {};
  for (const category of CATEGORIES) {
    prh[category] = new Set();
    prhHits[category] = new Map();
    if (!dictionaries[category]) continue; // no phrase rule in this category: prh gets no dictionary
    const r = runTextlint(textlintConfig(dir, category, dictionaries[category]), file);
    for (const m of textlintMessages(r.stdout)) {
      prh[category].add(m.line - 1);
      if (!prhHits[category].has(m.line - 1)) prhHits[category].set(m.line - 1, m.message);
    }
  }
  // huashu as `npm run eval` counts: the library on each draft, warning and error findings.
  const { lintText, loadRules } = await import(join(ROOT, 'dist', 'index.js'));
  const rules = await loadRules();
  const huashu = Object.fromEntries(CATEGORIES.map((c) => [c, new Set()]));
  drafts.forEach((d, i) => {
    for (const f of lintText(d.text, rules)) if (f.severity !== 'info' && huashu[f.category]) huashu[f.category].add(i);
  });
  const result = { drafts: drafts.length, huashu: {}, prh: {}, prhFalsePositives: [] };
  for (const [tool, flagged] of [['huashu', huashu], ['prh', prh]]) {
    const any = { tp: 0, fp: 0, fn: 0 };
    for (const c of CATEGORIES) {
      const counts = { tp: 0, fp: 0, fn: 0 };
      drafts.forEach((d, i) => {
        const gold = d.labels.includes(c);
        const pred = flagged[c].has(i);
        if (gold && pred) counts.tp++;
        else if (pred) counts.fp++;
        else if (gold) counts.fn++;
      });
      result[tool][c] = scores(counts);
    }
    drafts.forEach((d, i) => {
      const gold = d.labels.length > 0;
      const pred = CATEGORIES.some((c) => flagged[c].has(i));
      if (gold && pred) any.tp++;
      else if (pred) any.fp++;
      else if (gold) any.fn++;
    });
    result[tool].any = scores(any);
  }
  // prh's false positives that huashu avoids: flagged for a category the draft does not have, where
  // huashu does not flag that category. One per prh message, so the examples differ.
  const seen = new Set();
  for (const c of CATEGORIES) {
    for (const [i, message] of prhHits[c]) {
      if (drafts[i].labels.includes(c) || huashu[c].has(i) || seen.has(message)) continue;
      seen.add(message);
      result.prhFalsePositives.push({ id: drafts[i].id, category: c, labels: drafts[i].labels, prh: message, text: drafts[i].text });
    }
  }
  return result;
}

export async function sideBySide({ megabytes = 5, runs = 3, perPhrase = false } = {}) {
  if (!hasTextlint()) return undefined;
  const text = corpusText(megabytes * 1024 * 1024);
  if (!text) return undefined;
  const { file, dir, bytes } = tmpFile('replies.txt', text);
  try {
    const { writePrhDictionaries, prhRules } = await import('./textlint/make-prh.mjs');
    const dictionaries = await writePrhDictionaries(join(dir, 'prh'), { perPhrase });
    const prhRuleCount = Object.values(await prhRules({ perPhrase })).flat();
    const textlint = timedRuns(runs, () => runTextlint(textlintConfig(dir, 'all', dictionaries.all), file));
    const huashu = timedRuns(runs, () => runTimed(process.execPath, [BIN, 'lint', file, '--format', 'json'], { keepStdout: true }));
    const huashuFindings = JSON.parse(huashu.samples[0].stdout).files.flatMap((f) => f.findings);
    const corpus = {
      bytes,
      prhRules: prhRuleCount.length,
      prhPatterns: prhRuleCount.reduce((n, r) => n + r.patterns.length, 0),
      textlint: { wallMs: textlint.wallMs, cpuMs: textlint.cpuMs, rssMB: textlint.rssMB, findings: textlintMessages(textlint.samples[0].stdout).length },
      huashu: {
        wallMs: huashu.wallMs,
        cpuMs: huashu.cpuMs,
        rssMB: huashu.rssMB,
        findings: huashuFindings.length,
        warningsAndErrors: huashuFindings.filter((f) => f.severity !== 'info').length,
      },
    };
    return { corpus, labeled: await labeledComparison(dir, dictionaries) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSideBySide(r) {
  const f = (x, d = 0) => (x === undefined ? 'n/a' : x.toFixed(d));
  const c = r.corpus;
  const lines = [
    `corpus agent turns, ${f(mb(c.bytes), 1)} MB; prh dictionary: ${c.prhRules} rules, ${c.prhPatterns} patterns (huashu's phrases in 3 scripts)`,
    table(
      ['tool', 'wall ms', 'cpu ms', 'peak RSS MB', 'findings'],
      [
        ['textlint 15 + textlint-rule-prh', f(c.textlint.wallMs), f(c.textlint.cpuMs), f(c.textlint.rssMB), String(c.textlint.findings)],
        ['huashu lint', f(c.huashu.wallMs), f(c.huashu.cpuMs), f(c.huashu.rssMB), `${c.huashu.findings} (${c.huashu.warningsAndErrors} warning/error)`],
        ['ratio textlint / huashu', f(c.textlint.wallMs / c.huashu.wallMs, 1) + '×', c.huashu.cpuMs ? f(c.textlint.cpuMs / c.huashu.cpuMs, 1) + '×' : '-', f(c.textlint.rssMB / c.huashu.rssMB, 1) + '×', f(c.textlint.findings / c.huashu.findings, 1) + '×'],
      ],
    ),
    '',
    `labeled drafts (fixtures/labeled/dev*.jsonl, ${r.labeled.drafts} drafts): precision / recall`,
    table(
      ['category', 'huashu P', 'huashu R', 'prh P', 'prh R', 'huashu tp/fp/fn', 'prh tp/fp/fn'],
      [...CATEGORIES, 'any'].map((k) => {
        const [h, p] = [r.labeled.huashu[k], r.labeled.prh[k]];
        return [k, f(h.precision, 3), f(h.recall, 3), f(p.precision, 3), f(p.recall, 3), `${h.tp}/${h.fp}/${h.fn}`, `${p.tp}/${p.fp}/${p.fn}`];
      }),
    ),
    'prh has no blame dictionary: every huashu blame rule is a pattern (context), which prh cannot express.',
    '',
    'prh false positives that huashu avoids (first three):',
    ...r.labeled.prhFalsePositives.slice(0, 3).map((e) => `  ${e.id} [labels: ${e.labels.join(', ') || 'clean'}] prh: ${e.prh}\n    ${e.text}`),
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await sideBySide({ megabytes: Number(arg('--mb', '5')), runs: Number(arg('--runs', '3')), perPhrase: process.argv.includes('--per-phrase') });
  if (!r) console.log('textlint is not installed (npm run bench:textlint installs it into bench/textlint), or ../shared/corpus is absent: skipped');
  else if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`side by side (node ${process.version}, load ${loadAverage()})`);
    console.log(formatSideBySide(r));
  }
}
