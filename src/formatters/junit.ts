// JUnit XML for CI test-report views (GitLab, Jenkins, Azure): one test suite per file, one failing test
// case per finding (type = severity), one passing case for a clean file, an error case for a file that
// could not be linted and a skipped case for a binary file.
import type { Finding } from '../engine/findings.js';
import { displayPath } from './paths.js';
import { isBinarySkip, type FileResult, type FormatOptions, type Formatter } from './types.js';
import { XML_DECLARATION, xmlAttribute as attr, xmlText as text } from './xml.js';

function details(path: string, f: Finding): string {
  const lines = [`${path}:${f.line}:${f.column}: ${f.severity}: ${f.message} (${f.ruleId})`, `「${f.excerpt}」`];
  for (const s of f.suggestions) lines.push(`→ ${s.text}${s.source ? ` (${s.source.doc} § ${s.source.section})` : ''}`);
  return lines.join('\n');
}

export const formatJunit: Formatter = (files: readonly FileResult[], options: FormatOptions = {}) => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteSkipped = 0;
    if (file.error !== undefined) {
      if (isBinarySkip(file)) {
        suiteSkipped++;
        cases.push(`    <testcase classname="${attr(path)}" name="${attr(path)}">\n      <skipped message="${attr(file.error)}"/>\n    </testcase>`);
      } else {
        suiteErrors++;
        cases.push(`    <testcase classname="${attr(path)}" name="${attr(path)}">\n      <error message="${attr(file.error)}" type="input"/>\n    </testcase>`);
      }
    } else if (file.findings.length === 0) {
      cases.push(`    <testcase classname="${attr(path)}" name="${attr(path)}"/>`);
    } else {
      for (const f of file.findings) {
        suiteFailures++;
        cases.push(
          `    <testcase classname="${attr(path)}" name="${attr(`${f.line}:${f.column} ${f.ruleId}`)}">\n` +
            `      <failure message="${attr(f.message)}" type="${f.severity}">${text(details(path, f))}</failure>\n` +
            `    </testcase>`,
        );
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${attr(path)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${suiteSkipped}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return [XML_DECLARATION, `<testsuites name="huashu" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`, ...suites, '</testsuites>', ''].join('\n');
};
