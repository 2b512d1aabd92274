import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_SETTINGS } from './commands/settings.command.js';
import { settingsTable } from './settings.table.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README configuration tables', () => {
  it.each(Object.entries(SERVICE_SETTINGS))(
    'list every setting of rnnflow %s as the code defines it',
    (service, specs) => {
      expect(readme, `regenerate with: npx rnnflow settings`).toContain(
        `### rnnflow ${service}\n\n${settingsTable(specs)}\n`,
      );
    },
  );
});
