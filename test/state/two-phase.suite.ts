import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@rnnflow/redis';
import { StateStore } from '@rnnflow/state';
import { stateAt, storeOptions } from './state.fixtures.js';
import type { SuiteTarget } from './state.suite.js';

/**
 * Exactly-once flow: stage pending (tag L) → Kafka transaction commits offsets L+1 → promote.
 * Kafka itself is out of scope here: the group's committed offset C is the number a real
 * predictor would fetch, and each test moves it where the crash it simulates would leave it.
 */
export function defineTwoPhaseSuite(label: string, target: SuiteTarget): void {
  describe(`two-phase state writes on ${label}`, () => {
    let redis: RedisConnection;
    const partition = { topic: 'clicks', partition: 2 };

    beforeAll(() => {
      redis = target.redis();
    });

    async function ownerOf(store: StateStore) {
      return { ...partition, epoch: await store.acquireEpoch(partition) };
    }

    it('stages, then promotes once the transaction is committed', async () => {
      const store = new StateStore(storeOptions(redis));
      const owner = await ownerOf(store);
      const staged = await store.writeStates(owner, [{ key: 'a', record: stateAt(10) }], {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 0,
      });
      expect(staged.outcomes).toEqual(['applied']);
      expect(await store.readStates(partition, ['a'], { committedOffset: 0 })).toEqual([
        { status: 'missing' },
      ]);
      expect(await store.promotePending(owner, ['a', 'b'], 11)).toEqual(['promoted', 'none']);
      expect(await store.readStates(partition, ['a'], { committedOffset: 11 })).toEqual([
        { status: 'found', record: stateAt(10), source: 'stable' },
      ]);
    });

    it('crash after staging, before the Kafka commit: the replay applies each step once', async () => {
      const store = new StateStore(storeOptions(redis));
      const crashed = await ownerOf(store);
      await store.writeStates(crashed, [{ key: 'a', record: stateAt(3) }]);
      const batch = [
        { key: 'a', record: stateAt(9, { step: 5 }) },
        { key: 'b', record: stateAt(10, { step: 1 }) },
      ];
      await store.writeStates(crashed, batch, {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 4,
      });
      // The transaction never committed: C is still 4. The new owner sees the pre-batch states.
      const owner = await ownerOf(store);
      const seen = await store.readStates(partition, ['a', 'b'], { committedOffset: 4 });
      expect(seen).toEqual([
        { status: 'found', record: stateAt(3), source: 'stable' },
        { status: 'missing' },
      ]);
      const replay = await store.writeStates(owner, batch, {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 4,
      });
      expect(replay.outcomes).toEqual(['applied', 'applied']);
      expect(await store.promotePending(crashed, ['a', 'b'], 11)).toEqual(['fenced', 'fenced']);
      expect(await store.promotePending(owner, ['a', 'b'], 11)).toEqual(['promoted', 'promoted']);
      const after = await store.readStates(partition, ['a', 'b'], { committedOffset: 11 });
      expect(after).toMatchObject([
        { status: 'found', record: { offset: 9, step: 5 }, source: 'stable' },
        { status: 'found', record: { offset: 10, step: 1 }, source: 'stable' },
      ]);
    });

    it('crash after the Kafka commit, before promotion: the committed pending state is used, not lost', async () => {
      const store = new StateStore(storeOptions(redis));
      const crashed = await ownerOf(store);
      await store.writeStates(crashed, [{ key: 'a', record: stateAt(3) }]);
      await store.writeStates(crashed, [{ key: 'a', record: stateAt(10) }], {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 4,
      });
      // The transaction committed offsets up to 11, then the process died before promoting.
      const owner = await ownerOf(store);
      expect(await store.readStates(partition, ['a'], { committedOffset: 11 })).toEqual([
        { status: 'found', record: stateAt(10), source: 'pending' },
      ]);
      // The next batch stages over it (promoting it first), and its transaction aborts.
      const next = await store.writeStates(owner, [{ key: 'a', record: stateAt(15) }], {
        mode: 'pending',
        batchTag: 20,
        committedOffset: 11,
      });
      expect(next.outcomes).toEqual(['applied']);
      expect(await store.discardPending(owner, ['a', 'b'], 11)).toEqual(['discarded', 'none']);
      expect(await store.readStates(partition, ['a'], { committedOffset: 11 })).toEqual([
        { status: 'found', record: stateAt(10), source: 'stable' },
      ]);
    });

    it('a replay of an already committed batch is stale in both modes', async () => {
      const store = new StateStore(storeOptions(redis));
      const owner = await ownerOf(store);
      const batch = [{ key: 'a', record: stateAt(10) }];
      await store.writeStates(owner, batch, { mode: 'pending', batchTag: 10, committedOffset: 0 });
      expect(await store.promotePending(owner, ['a'], 11)).toEqual(['promoted']);
      const pendingReplay = await store.writeStates(owner, batch, {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 11,
      });
      expect(pendingReplay.outcomes).toEqual(['stale']);
      expect((await store.writeStates(owner, batch)).outcomes).toEqual(['stale']);
      expect(await redis.exists(store.keys.pending(partition, 'a'))).toBe(0);
    });

    it('never promotes an uncommitted pending record, never discards a committed one', async () => {
      const store = new StateStore(storeOptions(redis));
      const owner = await ownerOf(store);
      await store.writeStates(owner, [{ key: 'a', record: stateAt(10) }], {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 0,
      });
      expect(await store.promotePending(owner, ['a'], 10)).toEqual(['none']);
      expect(await store.discardPending(owner, ['a'], 11)).toEqual(['kept-committed']);
      expect(await store.discardPending({ ...owner, epoch: owner.epoch - 1 }, ['a'], 0)).toEqual([
        'fenced',
      ]);
      expect(await store.promotePending(owner, ['a'], 11)).toEqual(['promoted']);
    });

    it('promotes and discards each partition on its own', async () => {
      const store = new StateStore(storeOptions(redis));
      const scopes = await Promise.all(
        [0, 1, 2, 3].map(async (number) => ({
          topic: 'clicks',
          partition: number,
          epoch: await store.acquireEpoch({ topic: 'clicks', partition: number }),
        })),
      );
      await store.writeBatches(
        scopes.map((scope) => ({
          mode: 'pending',
          batchTag: 10,
          committedOffset: 0,
          scope,
          entries: [{ key: 'a', record: stateAt(10) }],
        })),
      );
      const committed = scopes.slice(0, 2);
      const aborted = scopes.slice(2);
      expect(
        await Promise.all(committed.map((scope) => store.promotePending(scope, ['a'], 11))),
      ).toEqual([['promoted'], ['promoted']]);
      expect(
        await Promise.all(aborted.map((scope) => store.discardPending(scope, ['a'], 0))),
      ).toEqual([['discarded'], ['discarded']]);
      const reads = await store.readBatches(
        scopes.map((scope) => ({ scope, keys: ['a'], committedOffset: 11 })),
      );
      expect(reads.map(([result]) => result.status)).toEqual([
        'found',
        'found',
        'missing',
        'missing',
      ]);
    });

    it('refuses a batch tag below one of its records, which a commit could otherwise skip', async () => {
      const store = new StateStore(storeOptions(redis));
      const owner = await ownerOf(store);
      const staging = store.writeStates(owner, [{ key: 'a', record: stateAt(12) }], {
        mode: 'pending',
        batchTag: 10,
        committedOffset: 0,
      });
      await expect(staging).rejects.toThrow(RangeError);
    });
  });
}
