import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { StateKeys } from './state.keys.js';

const keys = new StateKeys('churn', 'rf');
const scope = { topic: 'user-events', partition: 3 };

describe('StateKeys', () => {
  it('names the stable, pending and epoch keys of a partition', () => {
    expect(keys.stable(scope, 'u1').toString()).toBe('rf:{churn:user-events:3}:s:u1');
    expect(keys.pending(scope, 'u1').toString()).toBe('rf:{churn:user-events:3}:p:u1');
    expect(keys.epoch(scope)).toBe('rf:{churn:user-events:3}:epoch');
  });

  it('puts every key of a partition in one cluster slot, whatever the entity bytes', () => {
    const slot = calculateSlot(keys.epoch(scope));
    for (const entity of ['a', '{x}', 'ü€', Buffer.from([0, 255, 123, 125])]) {
      expect(calculateSlot(keys.stable(scope, entity))).toBe(slot);
      expect(calculateSlot(keys.pending(scope, entity))).toBe(slot);
    }
  });

  it('parses a stable key back, entity bytes intact', () => {
    const entity = Buffer.from([0x7b, 0x7d, 0x3a, 0xff]);
    expect(keys.parseStable(keys.stable(scope, entity))).toEqual({ scope, entity });
    expect(keys.parseStable(keys.pending(scope, entity))).toBeUndefined();
    expect(keys.parseStable(Buffer.from('rf:{other:t:1}:s:x'))).toBeUndefined();
  });

  it('refuses names that would make keys ambiguous or globby', () => {
    expect(() => new StateKeys('a:b')).toThrow(RangeError);
    expect(() => new StateKeys('m*')).toThrow(RangeError);
    expect(() => keys.epoch({ topic: 'a}b', partition: 0 })).toThrow(RangeError);
    expect(() => keys.epoch({ topic: 't', partition: -1 })).toThrow(RangeError);
    expect(() => keys.stable(scope, '')).toThrow(RangeError);
    expect(() => keys.stable(scope, 'x'.repeat(257))).toThrow(RangeError);
  });

  it('builds a SCAN pattern for a model or one of its topics', () => {
    expect(keys.stablePattern()).toBe('rf:{churn:*:*}:s:*');
    expect(keys.stablePattern('user-events')).toBe('rf:{churn:user-events:*}:s:*');
  });

  it('escapes glob characters of an entity in its SCAN pattern', () => {
    const keys = new StateKeys('churn');
    expect(keys.entityPattern('a*b?[c]\\d', 'user-events').toString()).toBe(
      'rnnflow:{churn:user-events:*}:s:a\\*b\\?\\[c\\]\\\\d',
    );
    expect(keys.entityPattern('u1').toString()).toBe('rnnflow:{churn:*:*}:s:u1');
  });
});
