// The CI formats on hand-made results: escaping that the end-to-end run over the fixtures cannot reach.
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/findings.js';
import { formatCheckstyle } from '../src/formatters/checkstyle.js';
import { escapeData, escapeProperty, formatGithub } from '../src/formatters/github.js';
import { formatJunit } from '../src/formatters/junit.js';
import { formatSarif } from '../src/formatters/sarif.js';
import type { FileResult } from '../src/formatters/types.js';
import { xmlAttribute, xmlText } from '../src/formatters/xml.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'overpromise/guarantee',
  category: 'overpromise',
  severity: 'error',
  message: '100% 保證: a, b\r\nnext <&> "q" \'s',
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 7,
  offset: 20,
  length: 2,
  excerpt: '保證',
  suggestions: [{ kind: 'replace', text: '會盡力', source: { doc: '000.txt', section: '三、1' } }],
  script: 'traditional-tw',
  ...over,
});

const files: FileResult[] = [
  { path: 'dir,with:odd/名 稱.md', findings: [finding()] },
  { path: 'clean.txt', findings: [] },
  { path: 'broken.json', findings: [], error: 'invalid JSON (CommaExpected) at line 4, column 3' },
  { path: 'logo.txt', findings: [], error: 'binary file (NUL byte at byte 3), skipped' },
];

describe('github', () => {
  it('escapes the message and the properties as the Actions runner reads them', () => {
    expect(escapeData('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab:c,d');
    expect(escapeProperty('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab%3Ac%2Cd');
    const lines = formatGithub(files).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=dir%2Cwith%3Aodd/名 稱.md,line=3,endLine=3,col=5,endColumn=7,title=huashu overpromise/guarantee::100%25 保證: a, b%0D%0Anext <&> "q" \'s 「保證」%0A→ 會盡力 (000.txt § 三、1)',
    );
    expect(lines.slice(1)).toEqual(['::error file=broken.json,title=huashu::invalid JSON (CommaExpected) at line 4, column 3', '::warning file=logo.txt,title=huashu::binary file (NUL byte at byte 3), skipped']);
  });
});

describe('XML', () => {
  it('escapes markup and drops what XML 1.0 cannot hold', () => {
    expect(xmlText('a<b>&c]]>')).toBe('a&lt;b&gt;&amp;c]]&gt;');
    expect(xmlAttribute('"x"\n\'y\'\t\u0001\ud800z')).toBe('&quot;x&quot;&#10;&apos;y&apos;&#9;\uFFFD\uFFFDz');
    expect(xmlText('😀')).toBe('😀');
  });

  it('junit: a failure per finding, a passing case for a clean file, error and skipped cases', () => {
    const xml = formatJunit(files);
    const doc = parseDocument(xml, { xmlMode: true, decodeEntities: true });
    const failure = /<failure message="([^"]*)"/.exec(xml)![1]!;
    expect(failure).not.toMatch(/[<>\r\n]/);
    const suites = doc.children.filter((n) => 'name' in n && n.name === 'testsuites');
    expect(suites).toHaveLength(1);
    expect(xml).toContain('<testsuites name="huashu" tests="4" failures="1" errors="1" skipped="1">');
    expect(xml).toContain('<testcase classname="clean.txt" name="clean.txt"/>');
    // the message survives the round trip
    const attr = (doc.children[2] as unknown as { children: { name?: string; children?: { name?: string; children?: { name?: string; attribs?: Record<string, string> }[] }[] }[] }).children;
    const fail = attr.flatMap((s) => s.children ?? []).flatMap((c) => c.children ?? []).find((c) => c.name === 'failure');
    expect(fail?.attribs?.['message']).toBe(finding().message);
  });

  it('checkstyle: an error per finding, one for a file that could not be read', () => {
    const xml = formatCheckstyle(files);
    expect(xml).toContain('<file name="clean.txt"/>');
    expect(xml).toContain('<error line="1" column="1" severity="error" message="invalid JSON (CommaExpected) at line 4, column 3" source="huashu.input"/>');
    expect(xml).toContain('severity="warning" message="binary file');
    expect(xml).toContain('message="100% 保證: a, b&#13;&#10;next &lt;&amp;&gt; &quot;q&quot; &apos;s 「保證」 → 會盡力"');
  });
});

describe('sarif', () => {
  it('percent-encodes paths, reports unreadable files as notifications and marks the run failed', () => {
    const log = JSON.parse(formatSarif(files, { version: '9.9.9', cwd: '/repo' })) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string }[] }[]; originalUriBaseIds: Record<string, { uri: string }> }[];
    };
    const run = log.runs[0]!;
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'dir%2Cwith%3Aodd/%E5%90%8D%20%E7%A8%B1.md', uriBaseId: '%SRCROOT%' });
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///repo/');
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications.map((n) => n.level)).toEqual(['error', 'warning']);
  });
});
