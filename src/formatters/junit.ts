// JUnit XML for CI test-report views (GitLab, Jenkins, Azure): one test suite per file, one failing test
// case per finding (type = severity), one passing case for a clean file, an error case for a file that
// could not be linted and a skipped case for a binary file. Written a test case at a time.
import type { Finding } from '../engine/findings.js';
import { displayPath } from './paths.js';
import { isBinarySkip, joined, type ChunkFormatter, type FileResult, type FormatOptions } from './types.js';
import { XML_DECLARATION, xmlAttribute as attr, xmlText as text } from './xml.js';
import { citeText } from '../explain/sources.js';

function details(path: string, f: Finding): string {
  const lines = [`${path}:${f.line}:${f.column}: ${f.severity}: ${f.message} (${f.ruleId})`, `「${f.excerpt}」`];
  for (const s of f.suggestions) lines.push(`→ ${s.text}${s.source ? ` (${citeText(s.source)})` : ''}`);
  return lines.join('\n');
}

/** Test cases, failures, errors and skipped cases of one file's suite. */
function counts(file: FileResult) {
  if (file.error !== undefined) return isBinarySkip(file) ? { tests: 1, failures: 0, errors: 0, skipped: 1 } : { tests: 1, failures: 0, errors: 1, skipped: 0 };
  return { tests: Math.max(1, file.findings.length), failures: file.findings.length, errors: 0, skipped: 0 };
}

export const junitChunks: ChunkFormatter = function* (files: readonly FileResult[], options: FormatOptions = {}) {
  // The totals come first in the document: counted before anything is written.
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const file of files) {
    const c = counts(file);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
  }
  yield `${XML_DECLARATION}\n<testsuites name="huashu" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}">\n`;
  for (const file of files) {
    const path = displayPath(file.path, options.cwd);
    const c = counts(file);
    yield `  <testsuite name="${attr(path)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}">\n`;
    if (file.error !== undefined) {
      const outcome = isBinarySkip(file) ? `<skipped message="${attr(file.error)}"/>` : `<error message="${attr(file.error)}" type="input"/>`;
      yield `    <testcase classname="${attr(path)}" name="${attr(path)}">\n      ${outcome}\n    </testcase>\n`;
    } else if (file.findings.length === 0) {
      yield `    <testcase classname="${attr(path)}" name="${attr(path)}"/>\n`;
    } else {
      for (const f of file.findings) {
        yield `    <testcase classname="${attr(path)}" name="${attr(`${f.line}:${f.column} ${f.ruleId}`)}">\n` +
          `      <failure message="${attr(f.message)}" type="${f.severity}">${text(details(path, f))}</failure>\n` +
          `    </testcase>\n`;
      }
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
};

export const formatJunit = joined(junitChunks);
