import { randomUUID } from 'node:crypto';
import { startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClients } from '../support/kafka.js';
import { waitUntilGone } from '../support/processes.js';

const RUN = randomUUID().slice(0, 8);
const FAULT_TOPIC = `devstack-fault-${RUN}`;

// Fault injection is a feature of the embedded mock broker: these run on it whatever RNNFLOW_STACK says.
describe('Kafka mock cluster fault injection', () => {
  let mock: KafkaMockHandle;
  let clients: KafkaClients;

  beforeAll(async () => {
    const started = performance.now();
    mock = await startKafkaMock({
      brokers: 3,
      topics: [{ name: FAULT_TOPIC, partitions: 1 }],
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
