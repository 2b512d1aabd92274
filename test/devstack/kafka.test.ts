import { randomUUID } from 'node:crypto';
import type { DevStack } from '@rnnflow/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClients, readAfterCommitAndAbort } from '../support/kafka.js';
import { STACK_KIND, stackUnavailable, startTestStack } from '../support/stack.js';

const RUN = randomUUID().slice(0, 8);
const ROUND_TRIP_TOPIC = `devstack-roundtrip-${RUN}`;
const TX_TOPIC = `devstack-tx-${RUN}`;
const RECORD_COUNT = 10_000;
const BATCH_SIZE = 1000;
const unavailable = await stackUnavailable();

describe.skipIf(unavailable)(`Kafka on the ${STACK_KIND} stack with kafkajs`, () => {
  let stack: DevStack;
  let clients: KafkaClients;

  beforeAll(async () => {
    const started = performance.now();
    stack = await startTestStack({
      topics: [
        { name: ROUND_TRIP_TOPIC, partitions: 6 },
        { name: TX_TOPIC, partitions: 1 },
      ],
    });
    console.info(`${STACK_KIND} stack ready in ${(performance.now() - started).toFixed(0)} ms`);
    clients = new KafkaClients(stack.kafkaBrokers, `devstack-test-${RUN}`);
  }, 240_000);

  afterAll(async () => {
    await clients?.disconnectAll();
    await stack?.stop();
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

  it('commits one transaction and aborts another; read_committed sees what the broker isolates', async () => {
    const seen = await readAfterCommitAndAbort(clients, TX_TOPIC, RUN);
    const committed = ['committed-1', 'committed-2', 'committed-3'];
    if (STACK_KIND === 'containers') {
      expect(seen).toEqual([...committed, 'end']);
      return;
    }
    // Known limitation of librdkafka's mock (2.0.2, and still in its current source): its Fetch
    // handler always answers with an empty aborted-transactions list and LastStableOffset =
    // high watermark, so a read_committed consumer is shown aborted records too. Isolation is
    // asserted on real Kafka (RNNFLOW_STACK=containers). This assertion fails, on purpose, the
    // day the mock starts hiding aborted records, so that the gap is not papered over.
    expect(seen).toEqual([...committed, 'aborted-1', 'aborted-2', 'end']);
  });
});
