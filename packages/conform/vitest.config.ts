import { defineConfig } from 'vitest/config';

// Each test starts a biller on PGlite and runs the whole kit against it over a real socket.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
