#!/usr/bin/env node
// huashu's command line. The code is in src/cli, built to dist/cli and bundled into dist/bundle by
// `npm run build` (run by npm install; scripts/build-bundle.mjs says why a bundle).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bundle/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('huashu: not built: dist/bundle/index.js is missing (run `npm run build`)\n');
  process.exit(2);
}
const { run } = await import(entry.href);
await run();
