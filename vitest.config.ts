import { defineConfig } from 'vitest/config';

// Three projects: `default` is self-contained (runs on a fresh clone via `npm test`);
// `shared-data` reads ../shared/data and runs from .ci/run, where CI always has it; `security` attacks
// the real local server after one batch (`npm run test:security`, scripts/test-security.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['test/**/*.test.ts'],
          exclude: ['test/shared-data/**', 'test/security/**', 'node_modules/**'],
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
      {
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          globalSetup: ['test/security/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
