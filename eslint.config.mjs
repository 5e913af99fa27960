import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/', 'bin/chain/artifacts/', 'bin/chain/cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Domain and shared code get their configuration as arguments from a composition root
    // (module boundaries themselves: .dependency-cruiser.cjs).
    files: ['lambda/shared/**/*.ts', 'lambda/modules/*/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Domain code takes its settings as arguments; read configuration in lambda/functions/<name>/root.ts.' },
      ],
    },
  },
);
