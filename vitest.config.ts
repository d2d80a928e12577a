import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'web/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/**'],
    // Generous: tests poll with long deadlines on a shared, noisy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
