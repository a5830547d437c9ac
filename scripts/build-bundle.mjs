// The command line as one bundle (dist/bundle/), built from tsc's output. Node 20's ESM loader resolves,
// reads (asynchronously) and links each module on its own: ~45 of them for one `huashu lint`, ~40 ms and
// 7 MB of a one-draft run that the bundle does not pay. What a command does not use stays in chunks that
// load on first use (the dynamic imports). The library is bundled too, into dist/lib/ (below).
// Left outside: packages that find files of their own at run time (nodejieba's native addon, piscina's
// worker script), which must stay where npm put them; jsonc-parser, whose Node build is a
// UMD module that requires its parts by computed names; and OpenCC's dictionaries (5 MB, loaded only to
// render a text the build did not render), which would otherwise be copied into the bundle.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// CommonJS packages inside an ES module bundle still call require() for Node's built-ins, and some look
// at __dirname (synckit, which recheck loads, when its import.meta is gone).
const BANNER = [
  "import { createRequire as __huashuRequire } from 'node:module';",
  "import { fileURLToPath as __huashuPath } from 'node:url';",
  'const require = __huashuRequire(import.meta.url);',
  'const __filename = __huashuPath(import.meta.url);',
  "const __dirname = __huashuPath(new URL('.', import.meta.url));",
].join(' ');
/** One bundle of ES modules with shared chunks: what a command (or library call) does not use loads on first use. */
function bundle(entryPoints, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  return build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // recheck is bundled (its JavaScript backend, see src/rules/redos.ts): no Java jar or native binary to install.
    external: ['nodejieba', 'piscina', 'jsonc-parser', 'opencc-js/dict/*'],
    banner: { js: BANNER },
    // Without the indentation and with shorter syntax (identifiers kept, so stack traces still name their
    // functions): 6.6 MB of chunks become 5.2, and a one-draft lint, which parses ~400 KB of them, is
    // ~2 ms faster (docs/performance.md, twelfth session).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    metafile: true,
  });
}

// The audit's worker threads start from the bundle too (src/audit/pool.ts), sharing its chunks.
const result = await bundle({ index: join(root, 'dist', 'cli', 'index.js'), worker: join(root, 'dist', 'audit', 'worker.js') }, join(root, 'dist', 'bundle'));
const files = Object.keys(result.metafile.outputs).length;
console.error(`bundle: dist/bundle, ${files} files from ${Object.keys(result.metafile.inputs).length} modules`);

// The library (package.json "exports" → dist/lib/index.js), bundled for the same reason: `import 'huashu'`
// linked ~230 modules one by one (~200 ms). No top-level await, so `require('huashu')` loads it too
// (Node's require of ES modules). Types stay in dist/*.d.ts. dist/lib/ is as deep as dist/normalize/, so
// the modules' paths to dist/dict/ and rules/ hold in the bundle.
// src/entry.ts: src/index.ts's exports, with ./readers.js (its own entry here) loaded on first call.
const lib = await bundle({ index: join(root, 'dist', 'entry.js'), readers: join(root, 'dist', 'readers.js') }, join(root, 'dist', 'lib'));
console.error(`bundle: dist/lib, ${Object.keys(lib.metafile.outputs).length} files from ${Object.keys(lib.metafile.inputs).length} modules`);
