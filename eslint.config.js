import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports the pure core must never make: it knows nothing of a UI, a DOM or a clock. */
const uiWorld = [
  { group: ['react', 'react-*', 'react/*'], message: 'The core is pure: no React.' },
  { group: ['zustand', 'zustand/*'], message: 'The core is pure: no store.' },
  { group: ['d3', 'd3-*'], message: 'The core is pure: no d3.' },
  {
    group: ['**/components/**', '**/store/**', '**/graph/**', '**/d3/**', '**/app/**'],
    message: 'The core imports nothing from the UI world.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'coverage',
      'playwright-report',
      'test-results',
      'scripts/.tmp',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      // Kernel objects live in records keyed by id; deleting an entry is how a map forgets one.
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/libbpf/**/*.ts', 'src/scenario/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: uiWorld }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The core is deterministic.' },
        { object: 'Date', property: 'now', message: 'The core reads no clock: use state.clock.' },
        { object: 'performance', property: 'now', message: 'The core reads no clock.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'The core is DOM-free.' },
        { name: 'document', message: 'The core is DOM-free.' },
        { name: 'setTimeout', message: 'Deferred work is modelled in state, not scheduled.' },
        { name: 'setInterval', message: 'Deferred work is modelled in state, not scheduled.' },
        { name: 'Date', message: 'The core reads no clock: use state.clock.' },
      ],
    },
  },
);
