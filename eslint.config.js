// @ts-check
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const reactHooks = require('eslint-plugin-react-hooks')
const globals = require('globals')

/** Layers (ENGINEERING.md): who may import whom. */
const forbid = (patterns, message) => ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }]

module.exports = tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'src/main/db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['eslint.config.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // We do not use the React Compiler; TanStack Virtual is fine without its memoisation.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': forbid(
        ['**/main/**', '../../main/*', 'node:*'],
        'the renderer talks to main only through the contract in src/shared',
      ),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        ['**/main/**', '**/renderer/**', 'node:*'],
        'src/shared is imported by both sides and imports neither',
      ),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        ['**/main/**', '**/renderer/**', 'zod', 'drizzle-orm'],
        'the sandboxed preload only forwards the contract',
      ),
    },
  },
  {
    files: ['src/main/{db,import,detectors,services}/**/*.ts'],
    rules: { 'no-restricted-imports': forbid(['**/hosts/**', 'electron'], 'services run under plain Node: no host or Electron imports') },
  },
)
