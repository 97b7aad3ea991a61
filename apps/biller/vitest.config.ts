import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Probes PostgreSQL once and tells every suite whether it can run there (and warns when it cannot).
    globalSetup: ['./test/support/global-setup.ts'],
    // The type tests (*.test-d.ts) run through tsc on every `vitest run`.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
