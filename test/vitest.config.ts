import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // A portal build (when specs/dist is stale) plus a Chromium session per suite.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    setupFiles: ['./fuzz/support/seed.ts'],
  },
});
