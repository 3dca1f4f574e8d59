import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Integration tests start processes and wait on real servers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more parallel files only fight over the same PostgreSQL.
    maxWorkers: 2,
  },
});
