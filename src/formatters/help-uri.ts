// Where a rule is documented, for formats that link to it (SARIF helpUri, rdjson code.url): the rule
// categories of the README at the package's homepage (package.json `homepage`), or on npm when none is set.
import { readFileSync } from 'node:fs';

let base: string | undefined | null = null;

function docsBase(): string | undefined {
  if (base !== null) return base;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; homepage?: string };
    base = typeof pkg.homepage === 'string' && /^https?:\/\//.test(pkg.homepage) ? pkg.homepage.replace(/#.*$/, '') : `https://www.npmjs.com/package/${pkg.name ?? 'huashu'}`;
  } catch {
    base = undefined;
  }
  return base;
}

/** The documentation URL of a rule (its category's section of the README). */
export function ruleHelpUri(ruleId: string): string | undefined {
  const b = docsBase();
  if (b === undefined) return undefined;
  return `${b}#rule-categories`;
}
