import { describe, expect, it } from 'vitest';
import { OwnedPartition } from './owned.partition.js';

const scope = { topic: 'events', partition: 3, epoch: 7 };

describe('OwnedPartition', () => {
  it('commits only offsets whose batches are durable, in order', () => {
    const owner = new OwnedPartition(scope, 1, 100);
    const first = owner.take({ events: 5, firstOffset: 100, lastOffset: 104 }, 1000);
    const second = owner.take({ events: 5, firstOffset: 105, lastOffset: 109 }, 1010);
    expect(owner.offsetToCommit()).toBeUndefined();
    expect(owner.batchesInFlight).toBe(2);
    expect(owner.eventsInFlight).toBe(10);
    owner.madeDurable(first, 104);
    expect(owner.offsetToCommit()).toBe(105);
    owner.committed(105);
    expect(owner.oldestUncommittedAtMs).toBe(1010);
    owner.madeDurable(second, 109);
    expect(owner.eventsInFlight).toBe(0);
    expect(owner.offsetToCommit()).toBe(110);
    owner.committed(110);
    expect(owner.offsetToCommit()).toBeUndefined();
    expect(owner.oldestUncommittedAtMs).toBeUndefined();
  });

  it('commits nothing once ended', () => {
    const owner = new OwnedPartition(scope, 1, 0);
    owner.madeDurable(owner.take({ events: 1, firstOffset: 0, lastOffset: 0 }, 0), 0);
    owner.end();
    expect(owner.active).toBe(false);
    expect(owner.offsetToCommit()).toBeUndefined();
  });

  it('rewinds to the committed offset, or where it started when none was committed', () => {
    const committed = new OwnedPartition(scope, 1, 40);
    committed.take({ events: 1, firstOffset: 40, lastOffset: 40 }, 0);
    expect(committed.rewindOffset()).toBe(40);
    const fresh = new OwnedPartition(scope, 1, -1);
    fresh.take({ events: 3, firstOffset: 12, lastOffset: 14 }, 0);
    expect(fresh.rewindOffset()).toBe(12);
    expect(new OwnedPartition(scope, 1, -1, 7).rewindOffset()).toBe(7);
  });

  it('makes room for a batch once earlier ones are durable, or the ownership ends', async () => {
    const owner = new OwnedPartition(scope, 1, 0);
    const first = owner.take({ events: 8, firstOffset: 0, lastOffset: 7 }, 0);
    let roomy = false;
    const waiting = owner.roomFor(4, 10).then(() => (roomy = true));
    await Promise.resolve();
    expect(roomy).toBe(false);
    owner.madeDurable(first, 7);
    await waiting;
    expect(roomy).toBe(true);

    owner.take({ events: 8, firstOffset: 8, lastOffset: 15 }, 0);
    const ended = owner.roomFor(4, 10);
    owner.end();
    await ended;
    // One batch larger than the limit still passes when nothing else is in flight.
    await new OwnedPartition(scope, 1, 0).roomFor(50, 10);
  });
});
