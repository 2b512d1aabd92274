import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'reports/**', '**/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // More than five positional parameters: take an options object instead.
      '@typescript-eslint/max-params': ['error', { max: 5 }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment only through @rnnflow/config.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ClassDeclaration[superClass.name=/Error$/]',
          message: 'Declare error classes in a *.errors.ts file beside the code that throws them.',
        },
      ],
    },
  },
  {
    // Project tags live in each package.json under `nx.tags`; the rule reads them from Nx's project
    // graph, which `nx run-many -t lint` computes first (plain `eslint` without it skips the rule).
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:tool'],
            },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/config/**', 'libs/devstack/**', 'test/**', '**/*.spec.ts', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.errors.ts', 'test/**', '**/*.spec.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
