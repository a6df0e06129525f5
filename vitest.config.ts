import { defineConfig } from 'vitest/config';

// Two projects: `default` is self-contained (runs on a fresh clone via `npm test`);
// `shared-data` reads ../shared/data and runs from .ci/run, where CI always has it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['test/**/*.test.ts'],
          exclude: ['test/shared-data/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'shared-data',
          include: ['test/shared-data/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
