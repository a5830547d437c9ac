// The package as users get it: the library entry (dist/lib, what `import 'huashu'` and `require('huashu')`
// load) in fresh Node processes, its one-call lint with a path and a config, ConfigCache's rule sets,
// a broken nodejieba install, `npm pack` output that pre-commit can read, and `pre-commit try-repo`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigCache, lintText } from '../src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIB = join(ROOT, 'dist', 'lib', 'index.js');
const PROMISE = '您的包裹一定會在明天送到，我保證。';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'huashu-package-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run a script in a fresh Node process; its stdout parsed as JSON. */
function node(script: string, kind: 'mjs' | 'cjs', cwd = tmp): unknown {
  const args = kind === 'mjs' ? ['--input-type=module', '-e', script] : ['-e', script];
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe(''); // no ExperimentalWarning, nothing else
  return JSON.parse(r.stdout);
}

describe('library entry', () => {
  it("require('huashu') and import('huashu') load the same exports, with no top-level await", () => {
    const imported = node(`const m = await import(${JSON.stringify(LIB)}); console.log(JSON.stringify(Object.keys(m).sort()))`, 'mjs') as string[];
    const required = node(`console.log(JSON.stringify(Object.keys(require(${JSON.stringify(LIB)})).sort()))`, 'cjs') as string[];
    expect(required).toEqual(imported);
    // The same names as the unbundled module the types describe (dist/index.d.ts).
    const unbundled = node(`const m = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))}); console.log(JSON.stringify(Object.keys(m).sort()))`, 'mjs') as string[];
    expect(imported).toEqual(unbundled);
    expect(imported).toEqual(expect.arrayContaining(['lint', 'lintText', 'loadRules', 'parsePack', 'lintDocument', 'ConfigCache']));
  });

  it('lint(text, { path, config }) applies the config found for the path, its overrides and the reader', () => {
    mkdirSync(join(tmp, 'repo', 'legal'), { recursive: true });
    writeFileSync(join(tmp, 'repo', 'huashu.config.yaml'), 'rules:\n  overpromise/definitely-will: off\noverrides:\n  - files: ["legal/**"]\n    rules: { overpromise: off }\n');
    const script = `
      const { lint, DocumentError } = require(${JSON.stringify(LIB)});
      (async () => {
        const ids = (r) => r.findings.map((f) => f.ruleId + '@' + f.line);
        const plain = await lint(${JSON.stringify(PROMISE)}, { path: 'repo/a.txt' });
        const legal = await lint(${JSON.stringify(PROMISE)}, { path: 'repo/legal/b.txt' });
        const md = await lint('# 標題\\n\\n' + ${JSON.stringify(PROMISE)} + '\\n', { path: 'repo/c.md' });
        const inline = await lint(${JSON.stringify(PROMISE)}, { config: { rules: { overpromise: 'info' } } });
        const none = await lint(${JSON.stringify(PROMISE)}, { config: false });
        let error = '';
        try { await lint('{"a": ', { path: 'repo/x.json' }); } catch (e) { error = (e instanceof DocumentError) + ' ' + e.message; }
        console.log(JSON.stringify({ plain: ids(plain), config: plain.configFile, legal: ids(legal), md: ids(md), inline: inline.findings.map((f) => f.severity), none: ids(none), error }));
      })();`;
    const out = node(script, 'cjs') as Record<string, unknown>;
    expect(out['plain']).toEqual(['overpromise/guarantee@1']);
    expect(out['config']).toBe(join(tmp, 'repo', 'huashu.config.yaml'));
    expect(out['legal']).toEqual([]);
    expect(out['md']).toEqual(['overpromise/guarantee@3']);
    expect(new Set(out['inline'] as string[])).toEqual(new Set(['info']));
    expect(out['none']).toEqual(['overpromise/definitely-will@1', 'overpromise/guarantee@1']);
    expect(out['error']).toMatch(/^true repo\/x\.json: invalid JSON/);
  });

  it('ConfigCache.rulesFor(path).set does not fire the rules the config turns off', async () => {
    mkdirSync(join(tmp, 'off'), { recursive: true });
    writeFileSync(join(tmp, 'off', 'huashu.config.yaml'), 'rules:\n  overpromise/guarantee: off\n');
    const configured = await new ConfigCache().rulesFor(join(tmp, 'off', 'a.txt'));
    expect(configured.off).toEqual(['overpromise/guarantee']);
    // Still listed (rules lists, directives and --only know it), never reported.
    expect(configured.set.rules.some((r) => r.spec.id === 'overpromise/guarantee')).toBe(true);
    const ids = lintText(PROMISE, configured.set).map((f) => f.ruleId);
    expect(ids).toContain('overpromise/definitely-will');
    expect(ids).not.toContain('overpromise/guarantee');
    expect(lintText(`${PROMISE} <!-- huashu-disable-line overpromise/guarantee -->`, configured.set).map((f) => f.ruleId)).not.toContain('huashu/unknown-rule');
  });
});

describe('installation', () => {
  it('a missing nodejieba binding is a clear start-up error naming the fix, before any input is read', () => {
    // A copy of the package whose node_modules lacks nodejieba's compiled binding (as after --ignore-scripts).
    const pkg = join(tmp, 'broken');
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    for (const entry of ['bin', 'dist', 'rules', 'package.json']) symlinkSync(join(ROOT, entry), join(pkg, entry));
    for (const dep of readdirSync(join(ROOT, 'node_modules'))) {
      if (dep !== 'nodejieba' && dep !== '.bin') symlinkSync(join(ROOT, 'node_modules', dep), join(pkg, 'node_modules', dep));
    }
    cpSync(join(ROOT, 'node_modules', 'nodejieba'), join(pkg, 'node_modules', 'nodejieba'), { recursive: true, filter: (src) => !src.includes(`${join('nodejieba', 'build')}`) });
    expect(existsSync(join(pkg, 'node_modules', 'nodejieba', 'build'))).toBe(false);
    writeFileSync(join(tmp, 'clean.txt'), '您好，感謝您的耐心等待。\n');
    // Symbolic links kept as they are, so the bundle resolves its packages from the broken node_modules.
    const r = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', join(pkg, 'bin', 'huashu.js'), 'lint', join(tmp, 'clean.txt')], { cwd: tmp, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^huashu: the word segmenter's native binding is missing \(.*nodejieba\.node\): reinstall huashu without --ignore-scripts .*npm rebuild nodejieba/);
    expect(r.stdout).toBe('');
    // --help still works.
    const help = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', join(pkg, 'bin', 'huashu.js'), '--help'], { cwd: tmp, encoding: 'utf8' });
    expect(help.status).toBe(0);
  });

  it("recheck's JavaScript backend (bundled; no jar, no native binary) still refuses a backtracking pattern", () => {
    const bin = join(ROOT, 'bin', 'huashu.js');
    writeFileSync(join(tmp, 'draft.txt'), '您好。\n');
    const r = spawnSync(process.execPath, [bin, 'lint', '--rules', join(ROOT, 'test/hostile/packs/redos-exponential.yaml'), join(tmp, 'draft.txt')], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, RECHECK_BACKEND: 'pure' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/redos-exponential\.yaml:8:24: rule 'evil\/nested-plus': match\.patterns: regular expression can backtrack catastrophically/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string>; devDependencies: Record<string, string> };
    // The native binaries are optional and pinned to the bundled recheck's version; the jar is not a dependency.
    for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) expect(`${name}@${version}`).toMatch(new RegExp(`^recheck-(linux|macos|windows)-\\w+@${pkg.devDependencies['recheck']!.replace(/\./g, '\\.')}$`));
  });

  it('package.json: LICENSE and metadata, no development docs in the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['license']).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    for (const key of ['repository', 'homepage', 'bugs', 'keywords']) expect(pkg[key], key).toBeTruthy();
    const deps = Object.keys(pkg['dependencies'] as object);
    expect(deps).not.toContain('@mapbox/node-pre-gyp');
    expect(deps).not.toContain('recheck');
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/lib/index.js', 'dist/lib/readers.js', 'schemas/config.schema.json', 'schemas/pack.schema.json', 'docs/rules.md']));
    expect(files.filter((f) => /^(docs\/(performance|research)|bench\/|test\/|scripts\/|src\/)|\.map$/.test(f))).toEqual([]);
  });

  it(
    'npm pack prints only the tarball name on stdout (pre-commit reads it), though prepare builds',
    () => {
      // A copy of the repository (sharing node_modules), so the build that `prepare` runs does not touch dist/.
      const repo = join(tmp, 'repo-copy');
      mkdirSync(repo);
      for (const entry of readdirSync(ROOT)) {
        if (['node_modules', 'dist', '.git'].includes(entry)) continue;
        cpSync(join(ROOT, entry), join(repo, entry), { recursive: true });
      }
      symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
      const r = spawnSync('npm', ['pack', '--dry-run'], { cwd: repo, encoding: 'utf8', timeout: 600_000 });
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      expect(r.stdout.trim()).toBe('huashu-0.1.0.tgz');
      // prepare ran (its output is not shown: .npmrc foreground-scripts=false, and it writes to stderr).
      expect(existsSync(join(repo, 'dist', 'lib', 'index.js'))).toBe(true);
    },
    700_000,
  );

  it('pre-commit try-repo installs and runs the hook (skipped without pre-commit)', (ctx) => {
    const which = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    if (which.error || which.status !== 0) {
      ctx.skip('pre-commit is not installed here (pip install pre-commit); the npm pack test above checks what its node installer reads');
      return;
    }
    const work = join(tmp, 'macros');
    mkdirSync(work);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: work, encoding: 'utf8' });
    git('init', '-q');
    writeFileSync(join(work, 'reply.md'), `${PROMISE}\n`);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ description: PROMISE }));
    git('add', '.');
    const r = spawnSync('pre-commit', ['try-repo', ROOT, 'huashu', '--all-files'], { cwd: work, encoding: 'utf8', timeout: 900_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/overpromise\/guarantee/);
    expect(r.stdout).not.toMatch(/package\.json/);
  }, 1_000_000);
});
