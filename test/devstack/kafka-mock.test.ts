import { randomUUID } from 'node:crypto';
import { startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClients, readAfterCommitAndAbort } from '../support/kafka.js';
import { waitUntilGone } from '../support/processes.js';

const RUN = randomUUID().slice(0, 8);
const ROUND_TRIP_TOPIC = `devstack-roundtrip-${RUN}`;
const TX_TOPIC = `devstack-tx-${RUN}`;
const FAULT_TOPIC = `devstack-fault-${RUN}`;
const RECORD_COUNT = 10_000;
const BATCH_SIZE = 1000;

describe('Kafka mock cluster with kafkajs', () => {
  let mock: KafkaMockHandle;
  let clients: KafkaClients;

  beforeAll(async () => {
    const started = performance.now();
    mock = await startKafkaMock({
      brokers: 3,
      topics: [
        { name: ROUND_TRIP_TOPIC, partitions: 6 },
        { name: TX_TOPIC, partitions: 1 },
        { name: FAULT_TOPIC, partitions: 1 },
      ],
    });
    console.info(`kafka mock: 3 brokers ready in ${(performance.now() - started).toFixed(0)} ms`);
    clients = new KafkaClients(mock.bootstrapServers, `devstack-test-${RUN}`);
  });

  afterAll(async () => {
    await clients?.disconnectAll();
    if (!mock) return;
    await mock.stop();
    expect(await mock.exited).toEqual({ code: 0, signal: null }); // SIGTERM handled, not SIGKILLed
    expect(await waitUntilGone([mock.pid], 5000)).toEqual([]);
  });

  it('round-trips 10k records through a 6-partition topic and a consumer group', async () => {
    const producer = clients.producer();
    await producer.connect();
    const started = performance.now();
    for (let first = 0; first < RECORD_COUNT; first += BATCH_SIZE) {
      await producer.send({
        topic: ROUND_TRIP_TOPIC,
        messages: Array.from({ length: BATCH_SIZE }, (_, index) => ({
          key: `key-${(first + index) % 97}`,
          value: String(first + index),
        })),
      });
    }
    const produced = performance.now();

    const seen = new Set<number>();
    const partitions = new Set<number>();
    await clients.consumeUntil(
      ROUND_TRIP_TOPIC,
      { groupId: `devstack-group-${RUN}` },
      (value, partition) => {
        seen.add(Number(value));
        partitions.add(partition);
        return seen.size === RECORD_COUNT;
      },
    );
    console.info(
      `10k records: produced in ${(produced - started).toFixed(0)} ms, ` +
        `consumed back (group join included) in ${(performance.now() - produced).toFixed(0)} ms`,
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(
      Array.from({ length: RECORD_COUNT }, (_, index) => index),
    );
    expect([...partitions].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('commits and aborts transactions; the mock does not hide aborted records', async () => {
    const seen = await readAfterCommitAndAbort(clients, TX_TOPIC, RUN);
    expect(seen.filter((value) => value.startsWith('committed-'))).toEqual([
      'committed-1',
      'committed-2',
      'committed-3',
    ]);
    expect(seen.at(-1)).toBe('end');
    // Known limitation of librdkafka's mock (2.0.2 and later): its Fetch handler always answers
    // with an empty aborted-transactions list and LastStableOffset = high watermark, so a
    // read_committed consumer is also shown aborted records. Isolation is asserted against real
    // Kafka in dev-stack.test.ts (containers stack). This line fails, on purpose, the day the
    // mock starts hiding aborted records, so that the gap is not papered over.
    expect(seen.filter((value) => value.startsWith('aborted-'))).toEqual([
      'aborted-1',
      'aborted-2',
    ]);
  });

  it('holds or fails a produce while the leader is down, and lets it through once it is up', async () => {
    await mock.setPartitionLeader(FAULT_TOPIC, 0, 2);
    const producer = clients.producer({
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
    await producer.connect();
    await producer.send({ topic: FAULT_TOPIC, messages: [{ value: 'before' }] });

    await mock.setBrokerDown(2);
    const attempt = producer.send({ topic: FAULT_TOPIC, messages: [{ value: 'during' }] });
    const outcome = await Promise.race([
      attempt.then(
        () => 'delivered',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(resolve, 1500, 'waiting')),
    ]);
    expect(outcome).not.toBe('delivered');

    await mock.setBrokerUp(2);
    const retry =
      outcome === 'waiting'
        ? attempt
        : producer.send({ topic: FAULT_TOPIC, messages: [{ value: 'after' }] });
    await expect(retry).resolves.toEqual([expect.objectContaining({ errorCode: 0 })]);
  });

  it('fails the next produce with an injected error code, then recovers', async () => {
    const producer = clients.producer({ retry: { retries: 0 } });
    await producer.connect();
    await mock.pushRequestErrors(0, [10]); // Produce → MESSAGE_TOO_LARGE, not retriable
    await expect(
      producer.send({ topic: FAULT_TOPIC, messages: [{ value: 'refused' }] }),
    ).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    await expect(
      producer.send({ topic: FAULT_TOPIC, messages: [{ value: 'accepted' }] }),
    ).resolves.toEqual([expect.objectContaining({ errorCode: 0 })]);
  });

  it('rejects a command the mock cannot honour', async () => {
    await expect(mock.setBrokerDown(42)).rejects.toMatchObject({
      code: 'DEVSTACK_KAFKA_MOCK_COMMAND',
    });
  });
});
