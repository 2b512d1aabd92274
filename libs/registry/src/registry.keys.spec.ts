import { describe, expect, it } from 'vitest';
import { keysOf } from './model.registry.js';

describe('registry keys', () => {
  it('wraps the model name in one hash tag on every key, so a model lives in one cluster slot', () => {
    const keys = keysOf('sensors.v2');
    for (const key of [
      keys.nextVersion,
      keys.versions,
      keys.version(7),
      keys.active,
      keys.history,
    ]) {
      expect(key.match(/\{[^}]*\}/g)).toEqual(['{sensors.v2}']);
    }
  });

  it('keeps models apart', () => {
    expect(keysOf('a').active).not.toBe(keysOf('b').active);
  });

  it.each(['', 'a b', 'a}b', 'x'.repeat(65), 'ü'])('refuses the model name %j', (name) => {
    expect(() => keysOf(name)).toThrow(/model name .* is not allowed/);
  });
});
