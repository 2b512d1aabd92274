import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LuaScripts } from './lua.scripts.js';
import type { RedisConnection } from './redis.connection.js';

function scriptsDirectory(files: Record<string, string>): URL {
  const directory = mkdtempSync(path.join(tmpdir(), 'rnnflow-lua-'));
  mkdirSync(path.join(directory, 'includes'));
  for (const [name, lua] of Object.entries(files)) writeFileSync(path.join(directory, name), lua);
  return pathToFileURL(`${directory}/`);
}

/** Records what is defined and called, as ioredis would run it. */
function fakeConnection() {
  const defined = new Map<string, { lua: string; numberOfKeys?: number }>();
  const calls: unknown[][] = [];
  const connection = {
    defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }) {
      defined.set(name, definition);
      (connection as Record<string, unknown>)[name] = (...args: unknown[]) =>
        calls.push([name, ...args]);
    },
  };
  return { connection: connection as unknown as RedisConnection, defined, calls };
}

describe('LuaScripts', () => {
  it('names scripts by file, takes KEYS from -N, expands includes, defines once', () => {
    const scripts = new LuaScripts<'fixedKeys' | 'anyKeys'>(
      scriptsDirectory({
        'fixedKeys-2.lua': 'return 1',
        'anyKeys.lua': '-- @include helper\nreturn 2',
        'includes/helper.lua': 'local x = 1',
      }),
    );
    const { connection, defined, calls } = fakeConnection();
    scripts.prepare(connection);
    scripts.prepare(connection);
    expect(defined.get('fixedKeys')).toEqual({ lua: 'return 1', numberOfKeys: 2 });
    expect(defined.get('anyKeys')).toEqual({
      lua: 'local x = 1\nreturn 2',
      numberOfKeys: undefined,
    });
    scripts.call(connection, 'fixedKeys', ['a', 'b'], [7]);
    scripts.call(connection, 'anyKeys', ['a'], ['x']);
    expect(calls).toEqual([
      ['fixedKeys', 'a', 'b', 7],
      ['anyKeys', 1, 'a', 'x'],
    ]);
  });

  it('refuses a file name that is not verbNoun[-N].lua, and an unprepared connection', () => {
    const bad = new LuaScripts<'x'>(scriptsDirectory({ 'not-a-name.lua': 'return 0' }));
    expect(() => bad.prepare(fakeConnection().connection)).toThrow(/verbNoun/);
    const scripts = new LuaScripts<'x'>(scriptsDirectory({ 'x-1.lua': 'return 0' }));
    expect(() => scripts.call(fakeConnection().connection, 'x', ['k'], [])).toThrow(/not prepared/);
  });
});
