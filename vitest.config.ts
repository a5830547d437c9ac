import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30000,
    // nodejieba is a native addon: run test files in forked processes, not worker threads.
    pool: 'forks',
  },
});
