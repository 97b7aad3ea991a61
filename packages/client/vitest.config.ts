import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The contract suites start a Prism mock each (a few seconds, longer on a busy 2-core machine).
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
