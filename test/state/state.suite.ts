import { Cluster } from 'ioredis';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedisConnection } from '@rnnflow/redis';
import {
  StateInstrumentation,
  StateStore,
  encodeState,
  encodedLength,
  parseFingerprint,
  type StateEvents,
} from '@rnnflow/state';
import { LSTM_LAYOUT, stateAt, storeOptions } from './state.fixtures.js';

/** The Redis deployment a suite runs against, started once per test file. */
export interface SuiteTarget {
  /** The file's connection (available once its beforeAll ran). */
  redis(): RedisConnection;
  /** Master count: the most pipelines a batch may cost. */
  masters: number;
}

/** The same behaviour is required of a single Redis and of a Redis Cluster. */
export function defineStateSuite(label: string, target: SuiteTarget): void {
  describe(`state store on ${label}`, () => {
    let redis: RedisConnection;

    beforeAll(() => {
      redis = target.redis();
    });

    const topic = 'user-events';

    it('writes and reads back states of many partitions, with any entity bytes', async () => {
      const store = new StateStore(storeOptions(redis));
      const entities = ['u1', 'ü€-ключ', '{braces}:colons', Buffer.from([0, 255, 10, 13])];
      const scopes = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(async (partition) => ({
          topic,
          partition,
          epoch: await store.acquireEpoch({ topic, partition }),
        })),
      );
      const writes = await store.writeBatches(
        scopes.map((scope) => ({
          mode: 'stable',
          scope,
          entries: entities.map((key, index) => ({
            key,
            record: stateAt(100 * scope.partition + index),
          })),
        })),
      );
      expect(writes.every((write) => write.applied === entities.length && !write.fenced)).toBe(
        true,
      );
      const reads = await store.readBatches(
        scopes.map((scope) => ({ scope, keys: [...entities, 'absent'] })),
      );
      scopes.forEach((scope, which) => {
        entities.forEach((_, index) => {
          expect(reads[which][index]).toEqual({
            status: 'found',
            record: stateAt(100 * scope.partition + index),
            source: 'stable',
          });
        });
        expect(reads[which][entities.length]).toEqual({ status: 'missing' });
      });
    });

    it('costs one pipeline (one round trip) per Redis node for a multi-partition batch', async () => {
      const store = new StateStore(storeOptions(redis));
      const scopes = await Promise.all(
        Array.from({ length: 12 }, async (_, partition) => ({
          topic,
          partition,
          epoch: await store.acquireEpoch({ topic, partition }),
        })),
      );
      const pipelines = vi.spyOn(redis, 'pipeline');
      try {
        await store.writeBatches(
          scopes.map((scope) => ({
            mode: 'stable',
            scope,
            entries: [{ key: 'k', record: stateAt(1) }],
          })),
        );
        expect(pipelines.mock.calls.length).toBeLessThanOrEqual(target.masters);
        pipelines.mockClear();
        await store.readBatches(scopes.map((scope) => ({ scope, keys: ['k', 'other'] })));
        expect(pipelines.mock.calls.length).toBeLessThanOrEqual(target.masters);
      } finally {
        pipelines.mockRestore();
      }
    });

    it('refuses a replayed or older write as stale, per key', async () => {
      const store = new StateStore(storeOptions(redis));
      const scope = {
        topic,
        partition: 0,
        epoch: await store.acquireEpoch({ topic, partition: 0 }),
      };
      await store.writeStates(scope, [
        { key: 'a', record: stateAt(10) },
        { key: 'b', record: stateAt(20) },
      ]);
      const replay = await store.writeStates(scope, [
        { key: 'a', record: stateAt(10) },
        { key: 'b', record: stateAt(15) },
        { key: 'c', record: stateAt(12) },
      ]);
      expect(replay).toEqual({
        outcomes: ['stale', 'stale', 'applied'],
        applied: 1,
        stale: 2,
        fenced: false,
      });
      const [a, b] = await store.readStates(scope, ['a', 'b']);
      expect(a).toMatchObject({ status: 'found', record: { offset: 10 } });
      expect(b).toMatchObject({ status: 'found', record: { offset: 20 } });
    });

    it('fences a writer whose epoch is no longer current, leaving the new owner’s states alone', async () => {
      const store = new StateStore(storeOptions(redis));
      const fenced: StateEvents['fenced'][] = [];
      store.on('fenced', (event) => fenced.push(event));
      const partition = { topic, partition: 1 };
      const oldOwner = { ...partition, epoch: await store.acquireEpoch(partition) };
      const newOwner = { ...partition, epoch: await store.acquireEpoch(partition) };
      expect(newOwner.epoch).toBe(oldOwner.epoch + 1);
      expect((await store.writeStates(newOwner, [{ key: 'a', record: stateAt(5) }])).applied).toBe(
        1,
      );
      const zombie = await store.writeStates(oldOwner, [
        { key: 'a', record: stateAt(9) },
        { key: 'b', record: stateAt(9) },
      ]);
      expect(zombie).toEqual({
        outcomes: ['fenced', 'fenced'],
        applied: 0,
        stale: 0,
        fenced: true,
      });
      expect(fenced).toEqual([{ scope: partition, epoch: oldOwner.epoch, operation: 'write' }]);
      const [a, b] = await store.readStates(partition, ['a', 'b']);
      expect(a).toMatchObject({ status: 'found', record: { offset: 5 } });
      expect(b).toEqual({ status: 'missing' });
      const neverAssigned = await store.writeStates({ topic, partition: 2, epoch: 1 }, [
        { key: 'a', record: stateAt(1) },
      ]);
      expect(neverAssigned.fenced).toBe(true);
    });

    it('reports every read and write round trip to a shared instrumentation, with its counts', async () => {
      const instrumentation = new StateInstrumentation();
      const store = new StateStore({ ...storeOptions(redis), instrumentation });
      const reads: StateEvents['read'][] = [];
      const writes: StateEvents['write'][] = [];
      instrumentation.on('read', (event) => reads.push(event));
      instrumentation.on('write', (event) => writes.push(event));
      const partition = { topic, partition: 5 };
      const scope = { ...partition, epoch: await store.acquireEpoch(partition) };
      await store.writeStates(scope, [
        { key: 'a', record: stateAt(3) },
        { key: 'b', record: stateAt(3) },
      ]);
      await store.writeStates(scope, [
        { key: 'a', record: stateAt(3) },
        { key: 'c', record: stateAt(4) },
      ]);
      await store.writeStates({ ...scope, epoch: scope.epoch - 1 }, [
        { key: 'a', record: stateAt(9) },
      ]);
      await store.readStates(partition, ['a', 'b', 'c', 'd']);
      expect(writes.map(({ seconds: _, ...counts }) => counts)).toEqual([
        { applied: 2, stale: 0, fenced: 0 },
        { applied: 1, stale: 1, fenced: 0 },
        { applied: 0, stale: 0, fenced: 1 },
      ]);
      expect(reads.map(({ seconds: _, ...counts }) => counts)).toEqual([
        { found: 3, missing: 1, corrupt: 0 },
      ]);
      expect([...reads, ...writes].every(({ seconds }) => seconds > 0)).toBe(true);
    });

    it('keeps the offset of a tombstone so replays stay idempotent', async () => {
      const store = new StateStore(storeOptions(redis));
      const scope = {
        topic,
        partition: 0,
        epoch: await store.acquireEpoch({ topic, partition: 0 }),
      };
      await store.writeStates(scope, [
        { key: 'a', record: stateAt(7, { ended: true, vectors: [] }) },
      ]);
      expect((await store.writeStates(scope, [{ key: 'a', record: stateAt(6) }])).outcomes).toEqual(
        ['stale'],
      );
      const [ended] = await store.readStates(scope, ['a']);
      expect(ended).toMatchObject({
        status: 'found',
        record: { ended: true, offset: 7, vectors: [] },
      });
      expect(
        (await store.writeStates(scope, [{ key: 'a', record: stateAt(8, { step: 1 }) }])).applied,
      ).toBe(1);
    });

    it('stores exactly the encoded length, and reports MEMORY USAGE per key', async () => {
      const store = new StateStore(storeOptions(redis));
      const scope = {
        topic,
        partition: 3,
        epoch: await store.acquireEpoch({ topic, partition: 3 }),
      };
      await store.writeStates(scope, [{ key: 'user-000123', record: stateAt(1) }]);
      const stored = await redis.strlen(store.keys.stable(scope, 'user-000123'));
      expect(stored).toBe(encodedLength(LSTM_LAYOUT, { precision: 'float32' }));
      expect(stored).toBe(512 + 39);
      const bytes = await store.lifecycle.memoryUsage(scope, 'user-000123');
      expect(bytes).toBeGreaterThan(stored);
      expect(await store.lifecycle.memoryUsage(scope, 'absent')).toBeUndefined();
    });

    it('expires idle keys only when a TTL is configured', async () => {
      const withTtl = new StateStore(storeOptions(redis, { idleTtlMs: 60_000 }));
      const without = new StateStore(storeOptions(redis));
      for (const store of [withTtl, without]) {
        const scope = {
          topic,
          partition: 0,
          epoch: await store.acquireEpoch({ topic, partition: 0 }),
        };
        await store.writeStates(scope, [{ key: 'a', record: stateAt(1) }]);
      }
      const scope = { topic, partition: 0 };
      const ttl = await redis.pttl(withTtl.keys.stable(scope, 'a'));
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await redis.pttl(without.keys.stable(scope, 'a'))).toBe(-1);
    });

    it('resets one key, and counts and scans the keys of a model', async () => {
      const store = new StateStore(storeOptions(redis));
      for (const partition of [0, 1, 2]) {
        const scope = { topic, partition, epoch: await store.acquireEpoch({ topic, partition }) };
        await store.writeStates(scope, [
          { key: `a${partition}`, record: stateAt(1) },
          { key: `b${partition}`, record: stateAt(1) },
        ]);
      }
      const other = { topic: 'other-topic', partition: 0 };
      await store.writeStates({ ...other, epoch: await store.acquireEpoch(other) }, [
        { key: 'z', record: stateAt(1) },
      ]);
      expect(await store.lifecycle.countStates()).toBe(7);
      expect(await store.lifecycle.countStates(topic)).toBe(6);
      expect(await store.lifecycle.deleteStates({ topic, partition: 1 }, ['a1'])).toBe(1);
      expect(await store.readStates({ topic, partition: 1 }, ['a1'])).toEqual([
        { status: 'missing' },
      ]);
      const scanned: string[] = [];
      for await (const state of store.lifecycle.scanStates(topic)) {
        scanned.push(`${state.scope.partition}/${state.entity.toString()}`);
      }
      expect(scanned.sort()).toEqual(['0/a0', '0/b0', '1/b1', '2/a2', '2/b2']);
    });

    it('locates the partitions holding one entity, its glob characters taken literally', async () => {
      const store = new StateStore(storeOptions(redis));
      for (const [partition, key] of [
        [0, 'a*'],
        [3, 'a*'],
        [3, 'ab'],
        [5, 'a'],
      ] as const) {
        const scope = { topic, partition, epoch: await store.acquireEpoch({ topic, partition }) };
        await store.writeStates(scope, [{ key, record: stateAt(1) }]);
      }
      const located = await store.lifecycle.locate('a*');
      expect(located.map((scope) => scope.partition).sort()).toEqual([0, 3]);
      expect(await store.lifecycle.locate('a*', 'other-topic')).toEqual([]);
      expect(await store.lifecycle.locate('zz')).toEqual([]);
    });

    it('returns bad stored data as a typed result per key, resets it and counts it', async () => {
      const store = new StateStore(storeOptions(redis));
      const corrupt: StateEvents['corrupt'][] = [];
      store.on('corrupt', (event) => corrupt.push(event));
      const scope = {
        topic,
        partition: 4,
        epoch: await store.acquireEpoch({ topic, partition: 4 }),
      };
      await store.writeStates(scope, [{ key: 'good', record: stateAt(1) }]);
      const valid = encodeState(stateAt(1), {
        fingerprint: parseFingerprint('5eedc0de00112233'),
        precision: 'float32',
      });
      const unknownVersion = Buffer.from(valid);
      unknownVersion[0] = 42;
      const foreign = encodeState(stateAt(1), {
        fingerprint: parseFingerprint('ffffffffffffffff'),
        precision: 'float32',
      });
      await redis.set(store.keys.stable(scope, 'cut'), valid.subarray(0, 100));
      await redis.set(store.keys.stable(scope, 'future'), unknownVersion);
      await redis.set(store.keys.stable(scope, 'foreign'), foreign);
      const results = await store.readStates(scope, ['cut', 'good', 'future', 'foreign']);
      expect(
        results.map((result) => (result.status === 'corrupt' ? result.reason : result.status)),
      ).toEqual(['truncated', 'found', 'unknown-version', 'foreign-fingerprint']);
      expect(results[0]).toMatchObject({ reset: true, message: expect.any(String) });
      expect(corrupt.map((event) => event.reason)).toEqual([
        'truncated',
        'unknown-version',
        'foreign-fingerprint',
      ]);
      expect(
        await redis.exists(
          ...['cut', 'future', 'foreign'].map((key) => store.keys.stable(scope, key)),
        ),
      ).toBe(0);
      expect(
        (await store.writeStates(scope, [{ key: 'foreign', record: stateAt(0) }])).applied,
      ).toBe(1);
    });

    it('reads states of the other precision as foreign after a precision switch, both ways', async () => {
      const shared = storeOptions(redis);
      const float32 = new StateStore(shared);
      const float16 = new StateStore({ ...shared, precision: 'float16' });
      const corrupt: StateEvents['corrupt'][] = [];
      float16.on('corrupt', (event) => corrupt.push(event));
      const scope = {
        topic,
        partition: 5,
        epoch: await float32.acquireEpoch({ topic, partition: 5 }),
      };
      await float32.writeStates(scope, [{ key: 'k', record: stateAt(5) }]);

      const [switched] = await float16.readStates(scope, ['k']);
      expect(switched).toMatchObject({
        status: 'corrupt',
        reason: 'foreign-precision',
        reset: true,
      });
      expect(corrupt.map((event) => event.reason)).toEqual(['foreign-precision']);
      expect(await redis.exists(float16.keys.stable(scope, 'k'))).toBe(0);

      await float16.writeStates(scope, [{ key: 'k', record: stateAt(6) }]);
      const [read] = await float16.readStates(scope, ['k']);
      if (read.status !== 'found')
        throw new Error(`expected the float16 state, got ${read.status}`);
      const expected = stateAt(6).vectors;
      read.record.vectors.forEach((vector, which) =>
        vector.forEach((value, index) =>
          expect(Math.abs(value - expected[which][index])).toBeLessThanOrEqual(2 ** -11),
        ),
      );
      const [back] = await float32.readStates(scope, ['k']);
      expect(back).toMatchObject({ status: 'corrupt', reason: 'foreign-precision' });
    });

    it('only reports bad stored data under the report policy', async () => {
      const store = new StateStore(storeOptions(redis, { onCorrupt: 'report' }));
      const scope = { topic, partition: 4 };
      await redis.set(store.keys.stable(scope, 'cut'), Buffer.from([1, 0, 0]));
      expect(await store.readStates(scope, ['cut'])).toEqual([
        { status: 'corrupt', reason: 'truncated', message: expect.any(String), reset: false },
      ]);
      expect(await redis.exists(store.keys.stable(scope, 'cut'))).toBe(1);
    });

    it('reloads its scripts after SCRIPT FLUSH (NOSCRIPT)', async () => {
      const store = new StateStore(storeOptions(redis));
      const scope = {
        topic,
        partition: 5,
        epoch: await store.acquireEpoch({ topic, partition: 5 }),
      };
      expect((await store.writeStates(scope, [{ key: 'a', record: stateAt(1) }])).applied).toBe(1);
      const masters = redis instanceof Cluster ? redis.nodes('master') : [redis];
      const noScriptReplies = async () => {
        const stats = await Promise.all(masters.map((node) => node.info('errorstats')));
        return stats.reduce(
          (sum, text) => sum + Number(/errorstat_NOSCRIPT:count=(\d+)/.exec(text)?.[1] ?? 0),
          0,
        );
      };
      await Promise.all(masters.map((node) => node.script('FLUSH')));
      const before = await noScriptReplies();
      expect((await store.writeStates(scope, [{ key: 'a', record: stateAt(2) }])).applied).toBe(1);
      expect(await noScriptReplies()).toBe(before + 1);
      expect(await store.readStates(scope, ['a'])).toMatchObject([
        { status: 'found', record: { offset: 2 } },
      ]);
    });
  });
}
