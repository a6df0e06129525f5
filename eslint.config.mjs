// Lint that holds the layers (docs/DESIGN.md "Layers"): the core imports nothing above it, handlers
// reach the world only through the composition root, nothing ships code from test/, no cycles.
// typescript-eslint comes from tools/lint (it needs the TypeScript 6 JS API; the build uses TS 7).
import { createRequire } from 'node:module';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const lintTools = createRequire(new URL('./tools/lint/package.json', import.meta.url));
const tseslint = lintTools('typescript-eslint');

/** no-restricted-paths zone: files under `target` may not import from any of `from`. */
const forbid = (target, from, message) => ({ target, from, message });

const LAYERS = [
  forbid(
    './lambdas/core',
    [
      './lambdas/adapters',
      './lambdas/wiring',
      './lambdas/handlers',
      './local',
      './scripts',
      './bench',
      './evals',
      './lib',
      './bin',
      './test',
    ],
    'the core is pure: it imports only lambdas/core (ports, model, contracts); adapters implement its ports',
  ),
  forbid(
    './lambdas/adapters',
    ['./lambdas/wiring', './lambdas/handlers', './local', './scripts', './bench', './evals', './lib', './test'],
    'adapters implement core ports; the composition root (lambdas/wiring) chooses them',
  ),
  forbid(
    './lambdas/wiring',
    ['./lambdas/handlers', './local', './scripts', './bench', './evals', './lib', './test'],
    'the composition root builds dependency sets; handlers use it, not the reverse',
  ),
  forbid(
    './lambdas/handlers',
    ['./lambdas/adapters', './local', './scripts', './bench', './evals', './lib', './test'],
    'handlers import lambdas/wiring and lambdas/core only',
  ),
  forbid(
    './lib',
    ['./lambdas/adapters', './lambdas/wiring', './lambdas/handlers', './local', './scripts', './bench', './evals', './test'],
    'the CDK app reads core contracts only (tables, API schemas, metric names, golden checks)',
  ),
  forbid(
    './local',
    ['./scripts', './bench', './evals', './test'],
    'the local runtime is what the CLIs and benchmarks run on, not the reverse',
  ),
  forbid(
    './evals',
    ['./scripts', './bench', './test'],
    'the evaluation runs the product (core, adapters, wiring, local); CLIs run it, not the reverse',
  ),
  forbid('./scripts', ['./bench', './test'], 'CLIs never import benchmarks or tests'),
  forbid('./bench', ['./test'], 'benchmarks never import tests'),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'tools/**', 'cdk.out/**', '.fa-data/**', 'coverage/**', 'web/dist/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      // Imported files are read too (no-cycle follows them): TypeScript, parsed with the same parser.
      'import-x/extensions': ['.ts', '.mjs', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
      'import-x/no-cycle': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-self-import': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
