import type { StateRecord, StateStore } from '@rnnflow/state';
import { describe, expect, it } from 'vitest';
import { StateCache, type CacheOwner } from './state.cache.js';

const store = {} as StateStore;
const otherStore = {} as StateStore;

function owner(_partition: string): CacheOwner & { durableSequence: number; active: boolean } {
  return { durableSequence: 0, active: true };
}

function record(step: number): StateRecord {
  return { modelVersion: 1, step, offset: step, updatedAtMs: 0, ended: false, vectors: [] };
}

describe('StateCache', () => {
  it('returns what was set, for the same owner and store only, and counts hits and misses', () => {
    const cache = new StateCache(10);
    const one = owner('p0');
    cache.set(one, 'k', { record: record(1), store }, 1);
    expect(cache.get(one, 'k', store)?.record?.step).toBe(1);
    expect(cache.get(owner('p0'), 'k', store)).toBeUndefined();
    expect(cache.get(one, 'k', otherStore)).toBeUndefined();
    expect(cache.get(one, 'other', store)).toBeUndefined();
    expect(cache.takeCounts()).toEqual({ hits: 1, misses: 3, evictions: 0 });
    expect(cache.takeCounts()).toEqual({ hits: 0, misses: 0, evictions: 0 });
  });

  it('evicts the least recently used durable states beyond its capacity', () => {
    const cache = new StateCache(2);
    const one = owner('p0');
    cache.set(one, 'a', { record: record(1), store }, 1);
    cache.set(one, 'b', { record: record(1), store }, 1);
    one.durableSequence = 1;
    cache.get(one, 'a', store);
    cache.set(one, 'c', { record: record(1), store }, 2);
    expect(cache.size).toBe(2);
    expect(cache.get(one, 'b', store)).toBeUndefined();
    expect(cache.get(one, 'a', store)).toBeDefined();
    expect(cache.takeCounts().evictions).toBe(1);
  });

  it('keeps states that are not durable yet, beyond its capacity, until they are', () => {
    const cache = new StateCache(1);
    const one = owner('p0');
    cache.set(one, 'a', { record: record(1), store }, 1);
    cache.set(one, 'b', { record: record(1), store }, 2);
    expect(cache.size).toBe(2);
    one.durableSequence = 2;
    cache.set(one, 'c', { record: record(1), store }, 3);
    expect(cache.size).toBe(1);
    expect(cache.get(one, 'c', store)).toBeDefined();
  });

  it('drops an owner’s states, and takes none from an owner that ended', () => {
    const cache = new StateCache(10);
    const one = owner('p0');
    const two = owner('p1');
    cache.set(one, 'a', { record: undefined, store }, 1);
    cache.set(two, 'a', { record: undefined, store }, 1);
    cache.drop(one);
    expect(cache.size).toBe(1);
    one.active = false;
    cache.set(one, 'b', { record: undefined, store }, 2);
    expect(cache.size).toBe(1);
    expect(cache.get(two, 'a', store)).toBeDefined();
  });
});
