import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS } from './main.js';

const BIN = fileURLToPath(new URL('../bin/rnnflow.js', import.meta.url));
const list = JSON.parse(readFileSync(new URL('./command.list.json', import.meta.url), 'utf8')) as {
  name: string;
  description: string;
}[];

describe('the command list bin/rnnflow.js answers --help from', () => {
  it('names exactly the commands main.ts can load', () => {
    expect(list.map(({ name }) => name).sort()).toEqual(Object.keys(COMMAND_LOADERS).sort());
  });

  it.each(list)(
    'describes $name as the loaded command does',
    async ({ name, description }) => {
      const command = await COMMAND_LOADERS[name]();
      expect(command.name()).toBe(name);
      expect(command.description()).toBe(description);
    },
    60_000,
  );

  it('prints the version of the CLI package', () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).trim()).toBe(
      version,
    );
  });
});
