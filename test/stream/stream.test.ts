import { execFileSync } from 'node:child_process';
import { findFreePort, startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import {
  StreamError,
  StreamErrorCode,
  TransactionFencedError,
  deadLetterMessage,
  headerValue,
  type BatchConsumer,
  type CallEvent,
  type KafkaClient,
} from '@rnnflow/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeUntil, runId, testClient, text } from './stream.harness.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Codecs the installed kcat (librdkafka) was built with, from `kcat -V`. */
function kcatCodecs(): Set<string> {
  const version = execFileSync('kcat', ['-V'], { encoding: 'utf8' });
  const features = /builtin\.features=(\S+)/.exec(version)?.[1] ?? '';
  return new Set(features.split(','));
}

describe('stream lib against a Kafka-protocol broker', () => {
  let mock: KafkaMockHandle;
  let client: KafkaClient;
  const calls: CallEvent[] = [];

  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3 });
    client = testClient(mock.bootstrapServers, 'stream-test');
    client.on('call', (event) => calls.push(event));
  });

  afterAll(async () => {
    await client?.close();
    await mock?.stop();
  });

  /** Fresh input and output topics and a pool for a new consumer group. */
  async function transactionSetup(inputPartitions: number) {
    const input = `tx-in-${runId()}`;
    const output = `tx-out-${runId()}`;
    await mock.createTopic(input, inputPartitions);
    await mock.createTopic(output, 1);
    const pool = client.transactionalProducers({ consumerGroupId: `tx-${runId()}` });
    const produce = (values: string[]) => [
      { topic: output, messages: values.map((value) => ({ value })) },
    ];
    const offsets = (partition: number, offset: string) => ({
      topics: [{ topic: input, partitions: [{ partition, offset }] }],
    });
    return { input, output, pool, produce, offsets };
  }

  it('reads records that librdkafka compressed with each codec', async (context) => {
    const supported = kcatCodecs();
    const codecs = CODECS.filter((codec) => supported.has(codec));
    if (codecs.length < CODECS.length) {
      console.warn(`kcat lacks ${CODECS.filter((c) => !supported.has(c)).join(', ')}; not tested`);
    }
    if (codecs.length === 0) context.skip();
    const topic = `codecs-${runId()}`;
    await mock.createTopic(topic, 1);
    const expected: string[] = [];
    for (const codec of codecs) {
      const lines = Array.from(
        { length: 5 },
        (_, i) => `${codec}-${i}:${codec} value ${i} ${'~'.repeat(300)}`,
      );
      execFileSync(
        'kcat',
        ['-P', '-b', mock.bootstrapServers.join(','), '-t', topic, '-z', codec, '-K', ':'],
        { input: `${lines.join('\n')}\n` },
      );
      expected.push(...lines);
    }
    const received = await consumeUntil(
      client,
      { groupId: `codecs-${runId()}`, topics: [topic] },
      ({ records }) => records.length >= expected.length,
    );
    expect(received.records.map((r) => `${text(r.key)}:${text(r.value)}`)).toEqual(expected);
  });

  it('consumes every partition with manual commits and resumes after the last commit', async () => {
    const topic = `resume-${runId()}`;
    const groupId = `resume-${runId()}`;
    await mock.createTopic(topic, 3);
    const producer = client.producer({ compression: 'lz4' });
    const send = (from: number, to: number) =>
      producer.sendBatch([
        {
          topic,
          messages: Array.from({ length: to - from }, (_, i) => ({
            key: `key-${(from + i) % 7}`,
            value: `v${from + i}`,
          })),
        },
      ]);
    const commitEach = async (
      batch: { topic: string; partition: number; records: { offset: string }[] },
      consumer: Pick<BatchConsumer, 'commit'>,
    ) => {
      const last = batch.records[batch.records.length - 1];
      const offset = String(BigInt(last.offset) + 1n);
      await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset }]);
    };
    try {
      await send(0, 30);
      const first = await consumeUntil(
        client,
        { groupId, topics: [topic] },
        ({ records }) => records.length >= 30,
        commitEach,
      );
      expect(first.records.map((r) => text(r.value)).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `v${i}`).sort(),
      );
      expect(new Set(first.records.map((r) => r.partition)).size).toBeGreaterThan(1);
      const committed = await client.fetchCommittedOffsets(groupId, topic);
      const watermarks = await client.fetchWatermarks(topic);
      expect(committed.map((c) => c.offset)).toEqual(watermarks.map((w) => w.high));
      const idle = client.batchConsumer({ groupId, topics: [topic] });
      expect((await idle.fetchLag()).map((p) => p.lag)).toEqual([0, 0, 0]);

      await send(30, 45);
      const lag = await idle.fetchLag();
      expect(lag.reduce((sum, p) => sum + p.lag, 0)).toBe(15);
      const second = await consumeUntil(
        client,
        { groupId, topics: [topic] },
        ({ records }) => records.length >= 15,
        commitEach,
      );
      // Each partition is delivered in offset order, so a re-delivered committed record would
      // have arrived before the new ones.
      expect(second.records.map((r) => text(r.value)).sort()).toEqual(
        Array.from({ length: 15 }, (_, i) => `v${30 + i}`).sort(),
      );
      expect(calls.some((c) => c.operation === 'commit' && c.ok)).toBe(true);
      expect(calls.some((c) => c.operation === 'produce' && c.ok)).toBe(true);
    } finally {
      await producer.disconnect();
    }
  });

  it('commits a transaction per input partition and hides an aborted one from read_committed', async (context) => {
    const { input, output, pool, produce, offsets } = await transactionSetup(2);
    try {
      const producer = await pool.forPartition(input, 1);
      expect(producer.transactionalId).toBe(`${pool.consumerGroupId}-${input}-1`);
      await producer.transact(async (tx) => {
        await tx.send(produce(['committed-1', 'committed-2', 'committed-3']));
        await tx.sendOffsets(offsets(1, '3'));
      });
      const failure = new Error('state write failed');
      await expect(
        producer.transact(async (tx) => {
          await tx.send(produce(['aborted-1', 'aborted-2']));
          throw failure;
        }),
      ).rejects.toBe(failure);
      await producer.transact((tx) => tx.send(produce(['end'])));
      const read = await consumeUntil(
        client,
        { groupId: `reader-${runId()}`, topics: [output], readCommitted: true },
        ({ records }) => records.some((r) => text(r.value) === 'end'),
      );
      const values = read.records.map((r) => text(r.value));
      const transactionCalls = calls.filter((c) => c.operation === 'transaction');
      expect(transactionCalls.some((c) => !c.ok)).toBe(true);
      expect(values.filter((v) => !v?.startsWith('aborted'))).toEqual([
        'committed-1',
        'committed-2',
        'committed-3',
        'end',
      ]);
      if (values.some((v) => v?.startsWith('aborted'))) {
        // librdkafka's mock lists no aborted transactions in fetch responses, so no client can
        // filter them out.
        console.warn('skipped: this broker does not isolate aborted transactions');
        context.skip();
      }
      expect(values).toHaveLength(4);
    } finally {
      await pool.close();
    }
  });

  it('commits input offsets with sendOffsets, and an aborted transaction leaves them unchanged', async (context) => {
    const { input, pool, produce, offsets } = await transactionSetup(1);
    try {
      const producer = await pool.forPartition(input, 0);
      await producer.transact(async (tx) => {
        await tx.send(produce(['a']));
        await tx.sendOffsets(offsets(0, '3'));
      });
      const committed = () => client.fetchCommittedOffsets(pool.consumerGroupId, input);
      if ((await committed())[0]?.offset === '-1') {
        // librdkafka's mock answers TxnOffsetCommit without storing the offsets.
        console.warn('skipped: this broker does not store transactional offset commits');
        context.skip();
      }
      expect(await committed()).toEqual([{ partition: 0, offset: '3' }]);
      await expect(
        producer.transact(async (tx) => {
          await tx.sendOffsets(offsets(0, '5'));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await committed()).toEqual([{ partition: 0, offset: '3' }]);
    } finally {
      await pool.close();
    }
  });

  it('reports a fenced transactional producer with a typed error and closes it', async () => {
    const { input, pool, produce } = await transactionSetup(1);
    try {
      const producer = await pool.forPartition(input, 0);
      // The broker's answer to a zombie: INVALID_PRODUCER_EPOCH on AddPartitionsToTxn (API 24).
      await mock.pushRequestErrors(24, [47]);
      const fenced = producer.transact((tx) => tx.send(produce(['zombie'])));
      await expect(fenced).rejects.toBeInstanceOf(TransactionFencedError);
      await expect(fenced).rejects.toMatchObject({
        code: StreamErrorCode.Fenced,
        retriable: false,
        kafkaCode: 47,
      });
      // The fenced producer is closed; the partition's next producer is a new one, which
      // fences whoever holds the id now (the caller decides when to come back).
      const again = await pool.forPartition(input, 0);
      expect(again).not.toBe(producer);
      await again.transact((tx) => tx.send(produce(['owner again'])));
    } finally {
      await pool.close();
    }
  });

  it('fences the older of two producers sharing a transactional id', async (context) => {
    const { input, pool: zombiePool, produce } = await transactionSetup(1);
    const ownerPool = client.transactionalProducers({
      consumerGroupId: zombiePool.consumerGroupId,
    });
    try {
      const zombie = await zombiePool.forPartition(input, 0);
      const owner = await ownerPool.forPartition(input, 0);
      const outcome = await zombie
        .transact((tx) => tx.send(produce(['zombie'])))
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      if (outcome === 'committed') {
        // librdkafka's mock gives every InitProducerId a new producer id instead of bumping
        // the epoch of the transactional id's producer, so it never fences.
        console.warn('skipped: this broker does not fence by transactional id');
        context.skip();
      }
      expect(outcome).toBeInstanceOf(TransactionFencedError);
      await owner.transact((tx) => tx.send(produce(['owner'])));
    } finally {
      await Promise.all([zombiePool.close(), ownerPool.close()]);
    }
  });

  it('runs exactly-once style: a batch consumer transacting produce + sendOffsets per partition', async () => {
    const { input, output, pool, produce, offsets } = await transactionSetup(2);
    const producer = client.producer();
    const assignments: number[][] = [];
    try {
      await producer.sendBatch([
        {
          topic: input,
          messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `e${i}` })),
        },
      ]);
      await consumeUntil(
        client,
        {
          groupId: pool.consumerGroupId,
          topics: [input],
          onAssignment: async (assignment) => {
            assignments.push(assignment.flatMap((a) => a.partitions));
            await pool.retain(assignment);
            // Initialising the producers first fences any previous owner of these partitions.
            await Promise.all(
              assignment.flatMap(({ topic, partitions }) =>
                partitions.map((partition) => pool.forPartition(topic, partition)),
              ),
            );
          },
        },
        ({ records }) => records.length >= 20,
        async (batch) => {
          const partitionProducer = await pool.forPartition(batch.topic, batch.partition);
          const last = batch.records[batch.records.length - 1];
          await partitionProducer.transact(async (tx) => {
            await tx.send(produce(batch.records.map((r) => `prediction for ${text(r.value)}`)));
            await tx.sendOffsets(offsets(batch.partition, String(BigInt(last.offset) + 1n)));
          });
        },
      );
      expect(assignments[0]).toEqual([0, 1]);
      const read = await consumeUntil(
        client,
        { groupId: `reader-${runId()}`, topics: [output] },
        ({ records }) => records.length >= 20,
      );
      expect(read.records.map((r) => text(r.value)).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `prediction for e${i}`).sort(),
      );
    } finally {
      await Promise.all([pool.close(), producer.disconnect()]);
    }
  });

  it('dead-letters a record with its original bytes and rnnflow headers', async () => {
    const topic = `dlq-${runId()}`;
    await mock.createTopic(topic, 1);
    const original = {
      key: Buffer.from([0xde, 0xad]),
      value: Buffer.from('not json'),
      offset: '17',
      timestamp: Date.now(),
      headers: {},
    };
    const producer = client.producer();
    try {
      await producer.sendBatch([
        {
          topic,
          messages: [
            deadLetterMessage(original, {
              code: 'not-json',
              reason: 'value is not JSON',
              sourceTopic: 'events',
              partition: 2,
              offset: original.offset,
            }),
          ],
        },
      ]);
    } finally {
      await producer.disconnect();
    }
    const { records } = await consumeUntil(
      client,
      { groupId: `dlq-${runId()}`, topics: [topic] },
      (received) => received.records.length >= 1,
    );
    const [letter] = records;
    expect(letter.key).toEqual(original.key);
    expect(letter.value).toEqual(original.value);
    const header = (name: string) => text(headerValue(letter, name) ?? null);
    expect(header('rnnflow-error-code')).toBe('not-json');
    expect(header('rnnflow-error-reason')).toBe('value is not JSON');
    expect(header('rnnflow-source-topic')).toBe('events');
    expect(header('rnnflow-source-partition')).toBe('2');
    expect(header('rnnflow-source-offset')).toBe('17');
  });

  it('joins its group again when the coordinator refuses its group sync', async () => {
    const topic = `rejoin-${runId()}`;
    await mock.createTopic(topic, 2);
    const producer = client.producer();
    const rejoins: StreamError[] = [];
    try {
      await producer.sendBatch([
        { topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })) },
      ]);
      // SyncGroup (API key 14) answered INVALID_REQUEST (42): kafkajs alone would stop. The
      // refused member stays in the mock's group until its session times out, hence one refusal.
      await mock.pushRequestErrors(14, [42]);
      const received = await consumeUntil(
        client,
        {
          groupId: `rejoin-${runId()}`,
          topics: [topic],
          onRejoin: (error) => rejoins.push(error),
        },
        ({ records }) => records.length >= 20,
      );
      expect(received.records.map((r) => text(r.value)).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `v${i}`).sort(),
      );
      expect(rejoins.map((error) => error.kafkaType)).toEqual(['INVALID_REQUEST']);
    } finally {
      await producer.disconnect();
    }
  });

  it('reports an unreachable broker as a retriable error after retrying the connection', async () => {
    // A port nobody listens on: connections are refused at once.
    const down = testClient([`127.0.0.1:${await findFreePort()}`], 'stream-down', {
      requestRetries: 0,
    });
    const retries: number[] = [];
    try {
      const producer = down.producer({
        connectRetry: {
          retries: 2,
          initialMs: 10,
          onRetry: ({ attempt }) => retries.push(attempt),
        },
      });
      const sending = producer.sendBatch([{ topic: 'never', messages: [{ value: 'x' }] }]);
      await expect(sending).rejects.toBeInstanceOf(StreamError);
      await expect(sending).rejects.toMatchObject({
        code: StreamErrorCode.BrokerUnavailable,
        retriable: true,
      });
      expect(retries).toEqual([1, 2]);
    } finally {
      await down.close();
    }
  });
});
