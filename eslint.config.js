import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only through @rnnflow/config.',
        },
      ],
    },
  },
  {
    files: ['libs/config/**', 'libs/devstack/**', 'test/**', '**/*.spec.ts', 'scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
