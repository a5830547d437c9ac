// Documents as the source: the training documents cited by title and section in their own script, only
// short quotes shipped; and a team's own documents (config `documents:`) whose model replies `huashu docs`
// lists and `lint`, `coach` and `explain` offer, cited by file, section and line. Drives the built CLI on
// fixtures/team-docs (our own sentences).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huashuSync } from './helpers/child.js';
import type { Finding } from '../src/engine/findings.js';
import { passageAfter } from '../src/explain/seeds.js';
import { SEED_DOCUMENTS, citeText } from '../src/explain/sources.js';
import { extractReplies } from '../src/explain/team-docs.js';
import { loadPacks } from '../src/rules/load.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS = join(ROOT, '..', 'shared', 'seeds');

function huashu(args: string[], cwd: string, input = '') {
  return huashuSync(args, { cwd, input, timeout: 60_000, env: { HUASHU_SEEDS: undefined } });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'huashu-team-docs-'));
  cpSync(join(ROOT, 'fixtures', 'team-docs'), dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the training documents, by title and section', () => {
  it('every citation of the built-in packs names a known document, with its title, the section in its script', async () => {
    const packs = await loadPacks();
    const sources = packs.flatMap((p) => p.rules.flatMap((r) => [...(r.why ? [r.why.source] : []), ...r.suggest.flatMap((s) => (s.source ? [s.source] : []))]));
    expect(sources.length).toBeGreaterThan(50);
    for (const s of sources) {
      const seed = SEED_DOCUMENTS.find((d) => d.doc === s.doc);
      expect(seed, s.doc).toBeDefined();
      expect(s.title).toBe(seed!.title);
      // 002 is simplified: its sections are cited in simplified characters
      if (seed!.script === 'simplified') expect(s.section).not.toMatch(/[們問題戶們應時對]/);
      // with the documents at hand, each cited section is found in its document
      if (existsSync(SEEDS)) expect(passageAfter(readFileSync(join(SEEDS, s.doc), 'utf8'), s.section), `${s.doc} § ${s.section}`).toBeDefined();
    }
    expect(citeText({ doc: '002_c98b8a495b5e3139.txt', title: '意想不到的客户服务场景及应对话术', section: '4.问题在客户端' })).toBe('《意想不到的客户服务场景及应对话术》§ 4.问题在客户端');
  });

  it('lint prints 《title》§ section, and JSON keeps the file name as the id', () => {
    const text = '是您沒看清楚說明。\n';
    const r = huashu(['lint', '-'], dir, text);
    expect(r.stdout).toContain('(《意想不到的客户服务场景及应对话术》§ 4.问题在客户端)');
    expect(r.stdout).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    const json = JSON.parse(huashu(['lint', '-f', 'json', '-'], dir, text).stdout) as { files: { findings: Finding[] }[] };
    const source = json.files[0]!.findings[0]!.suggestions.find((s) => s.source?.title)!.source!;
    expect(source).toMatchObject({ doc: expect.stringMatching(/^00[0-4]_[0-9a-f]{16}\.txt$/), title: expect.any(String), section: expect.any(String) });
  });

  it('explain --seeds: a folder without the cited documents is an error, a missing one a warning', () => {
    const empty = mkdtempSync(join(dir, 'no-seeds-'));
    const r = huashu(['explain', 'blame/customer-fault', '--seeds', empty], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^huashu: --seeds: .*: none of the cited training documents is there \(\d{3}_[0-9a-f]{16}\.txt/);
    // a stand-in for one document (our own words under its heading): its passage is shown, the others warned about
    writeFileSync(join(empty, '002_c98b8a495b5e3139.txt'), '前言\n4.问题在客户端\n先帮客户把事情办好，不要说是客户的错。\n5.下一节\n');
    const partial = huashu(['explain', 'blame', '--seeds', empty], dir);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('先帮客户把事情办好，不要说是客户的错。');
    expect(partial.stderr).toMatch(/^huashu: warning: --seeds: .*: \d{3}_[0-9a-f]{16}\.txt is not there; its passages are not shown\n/);
  });

  it('the package ships no training document, only short quotes', async () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files.some((f) => f.startsWith('rules/'))).toBe(true);
    expect(files.filter((f) => /\d{3}_[0-9a-f]{16}\.txt$/.test(f) || /(^|\/)seeds\//.test(f))).toEqual([]);
    for (const p of await loadPacks()) for (const rule of p.rules) if (rule.why) expect(rule.why.quote.length, rule.id).toBeLessThanOrEqual(200);
  });
});

describe("a team's own documents", () => {
  it('huashu docs lists the model replies with file, line, section and category; not code, comments or scripts', () => {
    const r = huashu(['docs', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lib = JSON.parse(r.stdout) as { replies: { text: string; doc: string; line: number; section: string; categories: string[]; topics: string[] }[]; problems: unknown[] };
    expect(lib.problems).toEqual([]);
    expect(lib.replies.map((x) => [x.doc, x.line, x.section, x.categories.join()])).toEqual([
      ['docs/話術手冊.md', 10, '物流延誤', 'overpromise'],
      ['docs/話術手冊.md', 16, '退款進度', 'overpromise'],
      ['docs/話術手冊.md', 23, '無法辦理的要求', 'negative'],
      ['docs/話術手冊.md', 29, '客人說沒收到通知', 'blame'],
      ['docs/門市回覆.html', 6, '維修時間', 'overpromise'],
    ]);
    expect(lib.replies[0]!.text).toBe('您的包裹預計明天送達,如果物流有延誤,我會主動通知您最新進度。');
    expect(lib.replies[0]!.topics).toContain('delivery');
    expect(JSON.stringify(lib)).not.toMatch(/不算|程式碼/);
    const text = huashu(['docs'], dir);
    expect(text.stdout).toContain('docs/話術手冊.md\n    10  § 物流延誤  [overpromise · delivery]\n        您的包裹預計明天送達');
    expect(text.stdout).toMatch(/5 model replies from 2 of 2 documents; 5 offered as alternatives\n$/);
  });

  it('reports documents it cannot read (exit 2) and lists the others; a flagged model reply is never offered', () => {
    const sub = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(sub, 'ok.md'), '## 延誤\n錯誤示範:「明天一定到。」\n正確示範:「我保證明天一定到。」\n推薦話術:「預計明天送達,有變動我會通知您。」\n');
    writeFileSync(join(sub, 'latin1.txt'), Buffer.from([0x80, 0x81, 0x0a]));
    writeFileSync(join(sub, 'manual.pdf'), '%PDF');
    writeFileSync(join(sub, 'huashu.config.yaml'), 'documents: [ok.md, missing.md, latin1.txt, manual.pdf]\n');
    const r = huashu(['docs'], sub);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'huashu: missing.md: no such file\nhuashu: latin1.txt: not valid UTF-8\nhuashu: manual.pdf: not a document huashu reads (Markdown, text or HTML: .md .txt .html), not .pdf\n',
    );
    expect(r.stdout).toContain('not offered: flagged by overpromise/guarantee');
    writeFileSync(join(sub, 'draft.txt'), '包裹一定會明天到。\n');
    const lint = huashu(['lint', '-f', 'json', 'draft.txt'], sub);
    const texts = (JSON.parse(lint.stdout) as { files: { findings: Finding[] }[] }).files[0]!.findings.flatMap((f) => f.suggestions.map((s) => s.text));
    expect(texts).toContain('預計明天送達,有變動我會通知您。');
    expect(texts).not.toContain('我保證明天一定到。');
    expect(lint.stderr).toContain('huashu: warning: missing.md: no such file (a team document; huashu docs lists them)');
  });

  it('lint offers a model reply of the same category and topic, cited by file, line and section, in the draft script', () => {
    const r = huashu(['lint', '-f', 'json', 'draft.txt'], dir);
    const findings = (JSON.parse(r.stdout) as { files: { findings: Finding[] }[] }).files[0]!.findings;
    const promise = findings.find((f) => f.ruleId === 'overpromise/definitely-will')!;
    const team = promise.suggestions.filter((s) => s.source?.doc.startsWith('docs/'));
    // the delivery reply, not the refund or repair one
    expect(team).toEqual([{ kind: 'rewrite', text: '您的包裹預計明天送達,如果物流有延誤,我會主動通知您最新進度。', source: { doc: 'docs/話術手冊.md', section: '物流延誤', line: 10 } }]);
    expect(huashu(['lint', 'draft.txt'], dir).stdout).toContain('(docs/話術手冊.md:10 § 物流延誤)');
    // a simplified draft gets it in simplified
    const simplified = JSON.parse(huashu(['lint', '-f', 'json', '-'], dir, '您的包裹一定会在明天送到。\n').stdout) as { files: { findings: Finding[] }[] };
    expect(simplified.files[0]!.findings[0]!.suggestions.map((s) => s.text)).toContain('您的包裹预计明天送达,如果物流有延误,我会主动通知您最新进度。');
    // without the config, none
    expect(huashu(['lint', '--config', '/dev/null', 'draft.txt'], dir).stdout).not.toContain('docs/');
  });

  it('explain shows the team replies of the category, and the passage of a team document a team pack cites', () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      'pack: team\nrules:\n  - id: team/rush\n    category: overpromise\n    message: 不要替物流打包票\n    why:\n      quote: 不要替物流打包票。\n      source: { doc: docs/話術手冊.md, section: 物流延誤 }\n    match: { phrases: [包你明天到] }\n',
    );
    writeFileSync(join(dir, 'with-pack.yaml'), 'extends: [huashu:recommended, ./team.yaml]\ndocuments: [docs/話術手冊.md]\n');
    const r = huashu(['explain', 'team/rush', '--config', 'with-pack.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('— docs/話術手冊.md § 物流延誤');
    expect(r.stdout).toContain('客人問包裹什麼時候到,不要替物流打包票。');
    expect(r.stdout).toContain("From your team's documents\n  - 您的包裹預計明天送達");
  });

  it('lint and fix leave the training documents (their wrong examples are on purpose) out of a directory walk', () => {
    const lint = huashu(['lint', '-f', 'json', '.'], dir);
    const paths = (JSON.parse(lint.stdout) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(paths).toContain('draft.txt');
    expect(paths.filter((p) => p.startsWith('docs/'))).toEqual([]);
    const before = readFileSync(join(dir, 'docs', '話術手冊.md'), 'utf8');
    const fix = huashu(['fix', 'docs/話術手冊.md'], dir);
    expect(fix.stderr).toMatch(/^huashu: warning: docs\/話術手冊\.md: a team training document \(documents: in .*huashu\.config\.yaml\), not fixed\n$/);
    expect(readFileSync(join(dir, 'docs', '話術手冊.md'), 'utf8')).toBe(before);
  });

  it('a document outside the project is a config error', () => {
    const sub = mkdtempSync(join(dir, 'outside-'));
    writeFileSync(join(sub, 'package.json'), '{}');
    writeFileSync(join(sub, 'huashu.config.yaml'), 'documents: [../docs/話術手冊.md]\n');
    const r = huashu(['docs'], sub);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/documents: '\.\.\/docs\/話術手冊\.md': outside the project/);
  });

  it('extracts from plain text too: a marker line, and the line after a marker alone', () => {
    const found = extractReplies('guide.txt', '退款說明\n錯誤示範:退款明天一定到。\n正確示範:\n退款預計三到五個工作日到帳。\n這段是說明,提到範例兩個字不算。\n');
    expect(found.map((f) => [f.reply.text, f.reply.line, f.reply.section, f.wrong])).toEqual([['退款預計三到五個工作日到帳。', 4, '退款說明', ['退款明天一定到。']]]);
  });
});
