import { defineConfig } from 'vitest/config';

// Each Prism start takes seconds; more on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
