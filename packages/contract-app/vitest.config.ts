import { defineConfig } from 'vitest/config';

// In-memory requests through app.request: no sockets, no database.
export default defineConfig({ test: { include: ['test/**/*.test.ts'] } });
