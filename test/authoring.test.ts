// Rule authoring without the CLI: the sequence and absence kinds on real sentences, inline directives,
// config parsing and resolution (presets, local packs and configs, npm packages), the self-test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRules, lintText, loadRules, parsePack } from '../src/index.js';
import { parseDirectives } from '../src/engine/directives.js';
import { parseConfig } from '../src/config/parse.js';
import { ignoredBy, loadConfigFile, resolveConfig, rulesForConfig } from '../src/config/index.js';
import { selfTest } from '../src/rules/selftest.js';
import { fileWriter } from './helpers/files.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'huashu-authoring-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = fileWriter(() => tmp);

const pack = (rules: string) => compileRules([parsePack(`pack: t\nrules:\n${rules}`, 't.yaml')]);
const hits = (text: string, set: ReturnType<typeof compileRules>) => lintText(text, set).map((f) => `${f.ruleId}「${f.excerpt}」${f.line}:${f.column}`);

describe('sequence rules', () => {
  const set = pack(`  - id: t/certain
    kind: sequence
    category: overpromise
    message: m
    match:
      sequences: ['{[一定|肯定|保證]} (會|能)? <v> … <time>']
  - id: t/deadline
    kind: sequence
    category: blame
    message: m
    match:
      sequences: ['{<time> <any>? [就|肯定] [能|會]? [到|送到]}']
`);

  it('match tagged words with optional words, tags, a gap and a time expression, flagging the marked part', () => {
    expect(hits('您的包裹一定會在明天送到。', set)).toEqual(['t/certain「一定」1:5']);
    expect(hits('我們肯定能在24小時內處理完。', set)).toEqual(['t/certain「肯定」1:3']);
    expect(hits('放心，明天下午就能到。', set)).toEqual(['t/deadline「明天下午就能到」1:4']);
  });

  it('do not match without the required elements, or across sentences', () => {
    expect(hits('一定的時間內會處理。', set)).toEqual([]);
    expect(hits('我們一定會處理。明天見。', set)).toEqual([]);
    expect(hits('正在就到了。', set)).toEqual([]); // 正在 is jieba's `t`, not a time expression
  });

  it('map spans in traditional text back to the original characters', () => {
    const text = '第一行\n  您的問題一定會在３天內解決';
    const [f] = lintText(text, set);
    expect(f).toMatchObject({ ruleId: 't/certain', line: 2, column: 7, excerpt: '一定' });
    expect(text.slice(f!.offset, f!.offset + f!.length)).toBe('一定');
  });

  it('are refused with the position of the mistake inside the pattern', () => {
    const bad = (seq: string) => () => parsePack(`pack: t\nrules:\n  - id: t/x\n    kind: sequence\n    category: c\n    message: m\n    match:\n      sequences: ['${seq}']\n`, 'team.yaml');
    expect(bad('一定 (會 <v>')).toThrow(/team\.yaml:8:23: rule 't\/x': invalid sequence: '\(' without '\)'/);
    expect(bad('一定 <V>')).toThrow(/team\.yaml:8:\d+: .*a tag is lower-case letters/);
    expect(bad('… 一定')).toThrow(/cannot start or end with a gap/);
    expect(bad('/(會/ 到')).toThrow(/invalid regular expression/);
    expect(bad('(會)?')).toThrow(/at least one element that is not optional/);
  });
});

describe('named word lists (words:)', () => {
  const packWith = (words: string, pattern: string, unless = '') =>
    parsePack(
      `pack: t\n${words}rules:\n  - id: t/device-blame\n    kind: pattern\n    category: blame\n    severity: warning\n    message: m\n    match: { patterns: ['${pattern}'] }\n${unless}`,
      't.yaml',
    );

  it('are written once and named in patterns and exceptions as {name}, in either script', () => {
    const set = compileRules([packWith('words:\n  device: [路由器, 機上盒, 手機]\n', '是您的{device}', "    unless: { after: ['/^(的)?{device}/'] }\n")]);
    expect(hits('是您的路由器太舊了', set)).toEqual(['t/device-blame「是您的路由器」1:1']);
    expect(hits('應該是您的機上盒壞了', set)).toEqual(['t/device-blame「是您的機上盒」1:3']);
    expect(hits('是您的訂單', set)).toEqual([]);
    // a quantifier is not a list name
    expect(() => packWith('words:\n  device: [手機]\n', '您{2}的{device}')).not.toThrow();
  });

  it('refuse an unknown name (with a suggestion), a bad name and an empty list, at their line', () => {
    expect(() => packWith('words:\n  device: [手機]\n', '是您的{devise}')).toThrow(/t\.yaml:10:25:.*no word list \{devise\}.*did you mean 'device'/);
    expect(() => packWith('words:\n  Device: [手機]\n', '是您的{device}')).toThrow(/t\.yaml:3:.*word list name 'Device'/);
    expect(() => packWith('words:\n  device: []\n', '是您的{device}')).toThrow(/words\.device: the list is empty/);
  });
});

describe('absence rules', () => {
  const set = pack(`  - id: t/no-time
    kind: absence
    category: completeness
    message: m
    match:
      phrases: [會盡快處理]
    lacks: { scope: reply, words: [預計, '/\\d+(小時|天)/'] }
  - id: t/no-alternative
    kind: absence
    category: completeness
    message: m
    match:
      phrases: [不能]
    lacks: { scope: sentence, words: [但, 可以] }
`);

  it('flag the trigger only when the scope lacks every listed word', () => {
    expect(hits('我們會盡快處理。', set)).toEqual(['t/no-time「會盡快處理」1:3']);
    expect(hits('我們會盡快處理。預計明天回覆您。', set)).toEqual([]);
    expect(hits('我們會盡快處理，3天內回覆。', set)).toEqual([]);
    expect(hits('這個不能退。', set)).toEqual(['t/no-alternative「不能」1:3']);
    expect(hits('這個不能退，但可以換。', set)).toEqual([]);
    // sentence scope: the alternative in the next sentence does not count
    expect(hits('這個不能退。可以換貨。', set)).toEqual(['t/no-alternative「不能」1:3']);
  });

  it('need a lacks block, which other kinds may not have', () => {
    const head = 'pack: t\nrules:\n  - id: t/x\n    category: c\n    message: m\n    match: { phrases: [不能] }\n';
    expect(() => parsePack(head + '    kind: absence\n', 't.yaml')).toThrow(/t\.yaml:3:5: rule 't\/x': an absence rule needs 'lacks/);
    expect(() => parsePack(head + '    lacks: { words: [但] }\n', 't.yaml')).toThrow(/t\.yaml:7:12: .*'lacks' is only for kind: absence/);
    expect(() => parsePack(head + '    kind: absence\n    lacks: { scope: paragraph, words: [但] }\n', 't.yaml')).toThrow(/must be one of clause \| sentence \| line \| reply/);
  });
});

describe('inline directives', () => {
  const rules = pack(`  - id: t/cannot
    category: negative
    message: m
    match: { phrases: [不能] }
  - id: t/guarantee
    category: overpromise
    message: m
    match: { phrases: [保證] }
`);
  const ids = (text: string, options = {}) => lintText(text, rules, options).map((f) => `${f.ruleId}@${f.line}`);

  it('are read from HTML, template and line comments', () => {
    const text = '<!-- huashu-disable t/cannot -- reason -->\n{# huashu-enable #}\n# huashu-disable-next-line\n不能 // huashu-disable-line t/guarantee, negative';
    expect(parseDirectives(text).map((d) => [d.kind, d.ids])).toEqual([
      ['disable', ['t/cannot']],
      ['enable', []],
      ['disable-next-line', []],
      ['disable-line', ['t/guarantee', 'negative']],
    ]);
  });

  it('turn rules off for a stretch, a line or the next line', () => {
    const md = '不能保證。\n<!-- huashu-disable t/cannot -->\n不能保證。\n<!-- huashu-enable -->\n不能保證。\n';
    expect(ids(md)).toEqual(['t/cannot@1', 't/guarantee@1', 't/guarantee@3', 't/cannot@5', 't/guarantee@5']);
    const txt = '# huashu-disable-next-line overpromise\n不能保證。\n不能保證。  # huashu-disable-line\n不能保證。';
    expect(ids(txt)).toEqual(['t/cannot@2', 't/cannot@4', 't/guarantee@4']);
    expect(ids('<!-- huashu-disable -->\n不能保證。\n<!-- huashu-enable t/cannot -->\n不能保證。')).toEqual(['t/cannot@4']);
  });

  it('leave the other findings exactly where they were', () => {
    const text = '<!-- huashu-disable-next-line t/cannot -->\n我不能保證。';
    const [f] = lintText(text, rules);
    expect(f).toMatchObject({ ruleId: 't/guarantee', line: 2, column: 4, excerpt: '保證' });
    expect(text.slice(f!.offset, f!.offset + f!.length)).toBe('保證');
  });

  it('warn about unknown rule ids, and with reportUnusedDirectives about directives that did nothing', () => {
    const text = '# huashu-disable-next-line t/guarante\n不能。\n# huashu-disable-next-line t/cannot\n好的。';
    const found = lintText(text, rules, { reportUnusedDirectives: true });
    expect(found.map((f) => [f.ruleId, f.line, f.severity])).toEqual([
      ['huashu/unknown-rule', 1, 'warning'],
      ['huashu/unused-directive', 1, 'warning'],
      ['t/cannot', 2, 'warning'],
      ['huashu/unused-directive', 3, 'warning'],
    ]);
    expect(found[0]!.message).toBe("unknown rule 't/guarante' in huashu-disable-next-line — did you mean 't/guarantee'?");
    expect(lintText(text, rules, { directives: false }).map((f) => f.ruleId)).toEqual(['t/cannot']);
  });
});

describe('config files', () => {
  it('are validated with positions and hints, in YAML and JSON', () => {
    expect(() => parseConfig('extends: [huashu:strict]\nrule:\n  overpromise: off\n', 'huashu.config.yaml')).toThrow(
      "huashu.config.yaml:2:1: unknown key 'rule' in config — did you mean 'rules'?",
    );
    expect(() => parseConfig('rules:\n  negative: warn\n', 'c.yaml')).toThrow("c.yaml:2:13: rules: 'negative' must be one of error | warning | info | off, not 'warn' — did you mean 'warning'?");
    expect(() => parseConfig('{\n  "placeholders": ["{{(\\\\w+"]\n}\n', '.huashurc.json')).toThrow(/\.huashurc\.json:2:20: placeholders: invalid regular expression/);
    expect(() => parseConfig('{ "rules": [1, }', '.huashurc.json')).toThrow(/\.huashurc\.json:1:\d+: invalid JSON/);
    expect(parseConfig('', 'empty.yaml')).toMatchObject({ rules: [], dictionary: [] });
  });

  it('resolve presets, local packs and configs, and npm packages, later winning', async () => {
    file('team/rules.yaml', 'pack: team\nrules:\n  - id: team/free-shipping\n    category: overpromise\n    message: m\n    match: { phrases: [包郵] }\n    examples: { bad: [這單包郵！] }\n');
    file('team/base.yaml', 'extends: [huashu:recommended, ./rules.yaml]\nrules:\n  overpromise: info\n');
    file('node_modules/huashu-pack-acme/package.json', JSON.stringify({ name: 'huashu-pack-acme', huashu: ['packs/acme.yaml'] }));
    file('node_modules/huashu-pack-acme/packs/acme.yaml', 'pack: acme\nrules:\n  - id: acme/brand\n    category: brand\n    message: m\n    match: { phrases: [小米手機] }\n');
    const cfg = file('huashu.config.yaml', 'extends: [./team/base.yaml, huashu-pack-acme, huashu:strict]\nrules:\n  overpromise/guarantee: error\n  negative: off\ndictionary: [保證寶]\nignore: [archive/**]\nplaceholders: ["\\\\{\\\\{\\\\w+\\\\}\\\\}"]\n');
    const config = await loadConfigFile(cfg);
    expect(config.extends).toEqual(['huashu:recommended', join(tmp, 'team/rules.yaml'), join(tmp, 'team/base.yaml'), join(tmp, 'node_modules/huashu-pack-acme/packs/acme.yaml'), 'huashu:strict']);
    expect(config.placeholders).toEqual(['\\{\\{\\w+\\}\\}']);
    const { set, off } = await rulesForConfig(config);
    const severity = (id: string) => set.rules.find((r) => r.spec.id === id)?.spec.severity;
    expect(severity('overpromise/guarantee')).toBe('error'); // the id beats its category
    expect(severity('overpromise/never-again')).toBe('info'); // from base.yaml
    expect(severity('completeness/commitment-without-timeframe')).toBe('warning'); // from strict
    expect(off).toContain('negative/refusal');
    expect(set.rules.some((r) => r.spec.id === 'acme/brand')).toBe(true);
    expect(ignoredBy(config, join(tmp, 'archive/2023/a.txt'))).toBe('archive/**');
    expect(ignoredBy(config, join(tmp, 'drafts/a.txt'))).toBeUndefined();
  });

  it('refuse a rule setting that selects nothing, an unknown preset, a missing package and a cycle', async () => {
    const typo = await loadConfigFile(file('c1/huashu.config.yaml', 'rules:\n  overpromise/garantee: off\n'));
    await expect(rulesForConfig(typo)).rejects.toThrow(/c1\/huashu\.config\.yaml:2:3: rules: no rule, category or pack named 'overpromise\/garantee' — did you mean 'overpromise\/guarantee'\?/);
    await expect(loadConfigFile(file('c2/.huashurc.yaml', 'extends: huashu:strcit\n'))).rejects.toThrow(/c2\/\.huashurc\.yaml:1:10: unknown preset 'huashu:strcit' — did you mean 'huashu:strict'\?/);
    await expect(loadConfigFile(file('c3/.huashurc.yaml', 'extends: [huashu-pack-nope]\n'))).rejects.toThrow(/cannot find package 'huashu-pack-nope'/);
    file('c4/a.yaml', 'extends: [./b.yaml]\n');
    file('c4/b.yaml', 'extends: [./a.yaml]\n');
    await expect(loadConfigFile(join(tmp, 'c4/a.yaml'))).rejects.toThrow(/circular/);
  });

  it('without a config is huashu:recommended: the built-in packs, as loadRules gives', async () => {
    const config = await resolveConfig(undefined);
    const { set } = await rulesForConfig(config);
    expect(set.rules.map((r) => r.spec.id)).toEqual((await loadRules()).rules.map((r) => r.spec.id));
  });
});

describe('rules self-test', () => {
  it('passes for every built-in pack, huashu:strict included', async () => {
    const report = selfTest(await loadRules({ packs: [join(ROOT, 'rules', 'extra')] }));
    expect(report.problems.filter((p) => p.severity !== 'note')).toEqual([]);
    expect(report.rules).toBeGreaterThanOrEqual(20);
  });

  it('reports a bad example that no longer fires, a wrong span, a flagged good example and a rule with no example', () => {
    const set = pack(`  - id: t/a
    category: c
    message: m
    match: { phrases: [保證] }
    examples:
      bad: [我保證。, 保證金退了。, { text: 我們保證送到, span: 送到 }]
      good: [保證沒問題]
  - id: t/b
    kind: pattern
    category: c
    message: m
    match: { patterns: ['\\bOK\\b'] }
  - id: t/c
    category: c
    message: m
    match: { phrases: [保證] }
    examples: { bad: [保證金退了。] }
`);
    const problems = selfTest(set).problems.map((p) => `${p.severity} ${p.ruleId} ${p.message}${p.example ? ` | ${p.example}` : ''}`);
    expect(problems).toEqual([
      'failure t/a bad example not flagged | 保證金退了。',
      'failure t/a flagged 「保證」 at column 3, expected 「送到」 at column 5 | 我們保證送到',
      'failure t/a good example flagged: 「保證」 at column 1 | 保證沒問題',
      'warning t/b no bad example: nothing shows that this rule can fire',
      'failure t/c bad example not flagged | 保證金退了。',
      "warning t/c phrase '保證' is in the bad examples but never a whole word there (jieba: 保证金/退/了/。); use a longer phrase or boundary: none",
    ]);
  });
});
