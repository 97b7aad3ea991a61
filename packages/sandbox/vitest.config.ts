import { defineConfig } from 'vitest/config';

// Everything runs in memory on a real socket; the slowest test holds a lost answer for a client timeout.
export default defineConfig({ test: { testTimeout: 20_000, hookTimeout: 20_000 } });
