import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import {
  StreamError,
  StreamErrorCode,
  headerValue,
  retry,
  librdkafkaUnavailableReason,
  type CallEvent,
  type KafkaClient,
  type RecordProducer,
} from '@rnnflow/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeUntil, runId, testClient, text } from './stream.harness.js';

/** Kafka's MESSAGE_TOO_LARGE: a produce error no retry can fix. */
const MESSAGE_TOO_LARGE = 10;
const PRODUCE_API = 0;

const unavailable = librdkafkaUnavailableReason();
if (unavailable !== undefined) {
  console.warn(`node-rdkafka did not load (${unavailable}): the librdkafka producer is not tested`);
}

describe.skipIf(unavailable !== undefined)(
  'librdkafka producer against a Kafka-protocol broker',
  () => {
    let mock: KafkaMockHandle;
    let client: KafkaClient;
    const producers: RecordProducer[] = [];
    const calls: CallEvent[] = [];

    beforeAll(async () => {
      mock = await startKafkaMock({ brokers: 3 });
      client = testClient(mock.bootstrapServers, 'librdkafka-test');
      client.on('call', (event) => calls.push(event));
    });

    afterAll(async () => {
      await Promise.all(producers.map((producer) => producer.disconnect()));
      await client?.close();
      await mock?.stop();
    });

    function producer(deliveryTimeoutMs?: number): RecordProducer {
      const made = client.producer({ client: 'librdkafka', deliveryTimeoutMs });
      producers.push(made);
      return made;
    }

    it('writes what kafkajs reads, to the partition kafkajs would pick for the key', async () => {
      const native = `native-${runId()}`;
      const reference = `reference-${runId()}`;
      await mock.createTopic(native, 6);
      await mock.createTopic(reference, 6);
      const headers = { 'rnnflow-model': 'm', 'rnnflow-model-version': '3' };
      const messages = Array.from({ length: 60 }, (_, i) => ({
        key: `entity-${i}`,
        value: i === 7 ? null : `value ${i}`,
        headers,
        timestamp: 1_700_000_000_000 + i,
      }));
      await producer().sendBatch([{ topic: native, messages }]);
      const kafkajs = client.producer();
      await kafkajs.sendBatch([{ topic: reference, messages }]);
      await kafkajs.disconnect();

      const read = async (topic: string) =>
        (
          await consumeUntil(
            client,
            { groupId: `read-${runId()}`, topics: [topic] },
            ({ records }) => records.length >= messages.length,
          )
        ).records;
      const nativeRecords = await read(native);
      const referenceRecords = await read(reference);
      const partitionOf = new Map(referenceRecords.map((r) => [text(r.key), r.partition]));
      for (const record of nativeRecords) {
        const i = Number(text(record.key)?.split('-')[1]);
        expect(text(record.value)).toBe(i === 7 ? null : `value ${i}`);
        expect(record.partition).toBe(partitionOf.get(text(record.key)));
        expect(record.timestamp).toBe(1_700_000_000_000 + i);
        expect(text(headerValue(record, 'rnnflow-model-version') ?? null)).toBe('3');
      }
      expect(nativeRecords).toHaveLength(messages.length);
      expect(calls.some((call) => call.operation === 'produce' && call.ok)).toBe(true);
    });

    it('keeps header bytes that are not UTF-8 exactly (as a dead letter must)', async () => {
      const topic = `binary-headers-${runId()}`;
      await mock.createTopic(topic, 1);
      const binary = Buffer.from([0xff, 0x00, 0xc3]);
      await producer().sendBatch([
        {
          topic,
          messages: [
            { key: 'text', value: 't', headers: { origin: 'é text' } },
            { key: 'binary', value: 'b', headers: { origin: binary } },
          ],
        },
      ]);
      const { records } = await consumeUntil(
        client,
        { groupId: `binary-headers-${runId()}`, topics: [topic] },
        (received) => received.records.length >= 2,
      );
      const origin = (key: string) =>
        headerValue(
          records.find((record) => text(record.key) === key)!,
          'origin',
        );
      expect(origin('text')?.toString()).toBe('é text');
      expect(origin('binary')).toEqual(binary);
    });

    it('keeps nothing of a call once it settled (no handle per record outlives its delivery)', async () => {
      const topic = `released-${runId()}`;
      await mock.createTopic(topic, 3);
      const released = producer();
      const sent = async () => {
        const topicMessages = [
          {
            topic,
            messages: Array.from({ length: 2000 }, (_, i) => ({
              key: `entity-${i}`,
              value: `value ${i}`,
              headers: { 'rnnflow-model': 'm' },
            })),
          },
        ];
        await released.sendBatch(topicMessages);
        return new WeakRef(topicMessages);
      };
      const call = await sent();
      await collectGarbage();
      expect(call.deref()).toBeUndefined();
    });

    it('fails the call, not silently, when the broker refuses its records', async () => {
      const topic = `refused-${runId()}`;
      await mock.createTopic(topic, 1);
      const refused = producer();
      await refused.sendBatch([{ topic, messages: [{ value: 'warm-up' }] }]);
      await mock.pushRequestErrors(PRODUCE_API, [MESSAGE_TOO_LARGE]);
      const failure = await refused
        .sendBatch([{ topic, messages: [{ value: 'a' }, { value: 'b' }] }])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StreamError);
      expect(failure).toMatchObject({
        code: StreamErrorCode.Protocol,
        kafkaType: 'MSG_SIZE_TOO_LARGE',
        retriable: false,
      });
      // The producer goes on: the next call is delivered.
      await refused.sendBatch([{ topic, messages: [{ value: 'after' }] }]);
    });

    it('reports an unreachable broker as retriable once the delivery timeout passes', async () => {
      const topic = `outage-${runId()}`;
      await mock.createTopic(topic, 1);
      await mock.setPartitionLeader(topic, 0, 2);
      const patient = producer(1500);
      await patient.sendBatch([{ topic, messages: [{ value: 'before' }] }]);
      await mock.setBrokerDown(2);
      try {
        const started = Date.now();
        // The first call's flush is still waiting when the next two arrive, so those two share
        // the next flush, each with more failed records than node-rdkafka hands to the event loop
        // per pass: each must fail, neither may pass for acknowledged.
        const send = (count: number) =>
          patient
            .sendBatch([
              { topic, messages: Array.from({ length: count }, () => ({ value: 'during' })) },
            ])
            .catch((error: unknown) => error);
        const first = send(1);
        await sleep(100);
        const failures = await Promise.all([first, send(300), send(300)]);
        for (const failure of failures) {
          expect(failure).toMatchObject({
            code: StreamErrorCode.BrokerUnavailable,
            retriable: true,
          });
        }
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await mock.setBrokerUp(2);
      }
      // As the predictor does: a retriable failure is tried again, and goes through once the broker is back.
      await retry(() => patient.sendBatch([{ topic, messages: [{ value: 'after' }] }]), {
        retries: 3,
      });
    });
  },
);

/** Runs V8's full garbage collection a few times, with the event loop turning in between. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 3; round += 1) {
    await sleep(10);
    gc();
  }
}
