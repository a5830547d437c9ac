#!/usr/bin/env node
// huashu's command line. The code is in src/cli (built to dist/cli by `npm run build`).
import { run } from '../dist/cli/index.js';

await run();
