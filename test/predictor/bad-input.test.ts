import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { librdkafkaUnavailableReason } from '@rnnflow/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const run = promisify(execFile);

/** Each bad record with the reason the dead-letter topic must give. */
const CORPUS: { reason: string; key: Buffer | null; value: Buffer | null }[] = [
  { reason: 'not-json', key: Buffer.from('bad-1'), value: Buffer.from('{"features": [1, 2') },
  { reason: 'not-json', key: Buffer.from('bad-2'), value: Buffer.from('hello') },
  {
    reason: 'wrong-feature-count',
    key: Buffer.from('bad-3'),
    value: Buffer.from('{"features":[1,2,3]}'),
  },
  {
    reason: 'wrong-feature-count',
    key: Buffer.from('bad-4'),
    value: Buffer.from('{"features":[1,2,3,4,5]}'),
  },
  {
    reason: 'not-finite',
    key: Buffer.from('bad-5'),
    value: Buffer.from('{"features":[1,2,1e999,4]}'),
  },
  {
    reason: 'wrong-type',
    key: Buffer.from('bad-6'),
    value: Buffer.from('{"features":[1,"2",3,4]}'),
  },
  {
    reason: 'wrong-type',
    key: Buffer.from('bad-7'),
    value: Buffer.from('{"features":[1,2,3,4],"ts":"now"}'),
  },
  { reason: 'wrong-type', key: Buffer.from('bad-8'), value: Buffer.from('[1,2,3,4]') },
  { reason: 'missing-key', key: null, value: Buffer.from('{"features":[1,2,3,4]}') },
  { reason: 'missing-key', key: Buffer.alloc(0), value: Buffer.from('{"features":[1,2,3,4]}') },
  {
    reason: 'key-too-long',
    key: Buffer.from('k'.repeat(257)),
    value: Buffer.from('{"features":[1,2,3,4]}'),
  },
  {
    reason: 'key-not-utf8',
    key: Buffer.from([0xff, 0xfe, 0x41]),
    value: Buffer.from('{"features":[1,2,3,4]}'),
  },
  {
    reason: 'value-too-large',
    key: Buffer.from('bad-9'),
    value: Buffer.from(JSON.stringify({ features: [1, 2, 3, 4], pad: 'x'.repeat(2048) })),
  },
];

describe('predictor with bad and compressed input', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start({ partitions: 2, env: { RNNFLOW_MAX_VALUE_BYTES: '1024' } }));
  afterAll(() => harness.stop());

  it('dead-letters each bad record with its reason and source, and serves the good ones untouched', async () => {
    const sequences = makeSequences(6, 10);
    const producer = harness.clients.producer();
    await producer.connect();
    // Bad records first and in between, so a stalled partition would show as missing predictions.
    await producer.send({
      topic: harness.topics.input,
      messages: CORPUS.map(({ key, value }) => ({ key, value })),
    });
    await produceSequences(harness, sequences);
    await producer.send({
      topic: harness.topics.input,
      messages: CORPUS.map(({ key, value }) => ({ key, value })),
    });

    const predictor = await harness.startPredictor();
    const byKey = await collectPredictions(harness, (_, count) => count === 60);
    expectMatchesTfjs(harness, sequences, byKey);

    const letters: { reason: string; headers: Record<string, string>; value: string | null }[] = [];
    const consumer = harness.clients.kafka.consumer({
      groupId: `dlq-reader-${harness.run}`,
      maxWaitTimeInMs: 250,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: harness.topics.deadLetter, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          );
          letters.push({
            reason: headers['rnnflow-error-code'],
            headers,
            value: message.value === null ? null : String(message.value),
          });
          if (letters.length === 2 * CORPUS.length) resolve();
        },
      });
    });
    await consumer.disconnect();

    const count = (reasons: string[]) =>
      Object.fromEntries(
        [...new Set(reasons)].map((reason) => [reason, reasons.filter((r) => r === reason).length]),
      );
    expect(count(letters.map((letter) => letter.reason))).toEqual(
      count([...CORPUS, ...CORPUS].map((entry) => entry.reason)),
    );
    for (const letter of letters) {
      expect(letter.headers['rnnflow-error-reason'].length).toBeGreaterThan(10);
      expect(letter.headers['rnnflow-source-topic']).toBe(harness.topics.input);
      expect(Number(letter.headers['rnnflow-source-offset'])).toBeGreaterThanOrEqual(0);
    }
    expect(letters.map((letter) => letter.value)).toEqual(
      expect.arrayContaining(['hello', '{"features": [1, 2']),
    );
    expect(await predictor.stop(), predictor.log).toBe(0);
  });

  it('reads records compressed with gzip, snappy, lz4 and zstd by another producer', async () => {
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
    for (const codec of codecs) {
      const lines = Array.from(
        { length: 5 },
        (_, step) => `${codec}-key|${JSON.stringify({ features: [step, 1, 2, 3] })}`,
      );
      const kcat = run('kcat', [
        '-b',
        harness.kafka.bootstrapServers[0],
        '-t',
        harness.topics.input,
        '-P',
        '-z',
        codec,
        '-K',
        '|',
        '-p',
        '0',
      ]);
      kcat.child.stdin!.end(`${lines.join('\n')}\n`);
      await kcat;
    }
    const predictor = await harness.startPredictor();
    const byKey = await collectPredictions(harness, (seen) =>
      codecs.every((codec) => (seen.get(`${codec}-key`)?.length ?? 0) === 5),
    );
    for (const codec of codecs) {
      expect(
        byKey.get(`${codec}-key`)!.map((prediction) => prediction.step),
        codec,
      ).toEqual([1, 2, 3, 4, 5]);
    }
    expect(await predictor.stop(), predictor.log).toBe(0);
  });
});

const librdkafkaUnavailable = librdkafkaUnavailableReason();
if (librdkafkaUnavailable !== undefined) {
  console.warn(
    `node-rdkafka did not load (${librdkafkaUnavailable}): the 2 MB record is produced with kafkajs only`,
  );
}

describe.each(librdkafkaUnavailable === undefined ? ['librdkafka', 'kafkajs'] : ['kafkajs'])(
  'a 2 MB record, producing with %s',
  (producer) => {
    const harness = new PredictorHarness();
    beforeAll(() => harness.start({ env: { RNNFLOW_KAFKA_PRODUCER: producer } }));
    afterAll(() => harness.stop());

    it('is dead-lettered without its value while every partition goes on', async () => {
      const sequences = makeSequences(12, 10);
      const predictor = await harness.startPredictor();
      await produceSequences(harness, sequences, { to: 5 });
      const kafka = harness.clients.producer();
      await kafka.connect();
      await kafka.send({
        topic: harness.topics.input,
        messages: [{ key: 'huge', value: Buffer.alloc(2 * 1024 * 1024, 0x20), partition: 0 }],
      });
      await produceSequences(harness, sequences, { from: 5 });
      const byKey = await collectPredictions(harness, (_, count) => count === 120);
      expectMatchesTfjs(harness, sequences, byKey);

      const letter = await new Promise<{ headers: Record<string, string>; size: number }>(
        (resolve) => {
          const consumer = harness.clients.kafka.consumer({
            groupId: `dlq-reader-${harness.run}`,
            maxWaitTimeInMs: 250,
          });
          void consumer
            .connect()
            .then(() =>
              consumer.subscribe({ topic: harness.topics.deadLetter, fromBeginning: true }),
            )
            .then(() =>
              consumer.run({
                eachMessage: async ({ message }) => {
                  const headers = Object.fromEntries(
                    Object.entries(message.headers ?? {}).map(([name, value]) => [
                      name,
                      String(value),
                    ]),
                  );
                  resolve({ headers, size: message.value?.byteLength ?? 0 });
                  void consumer.disconnect();
                },
              }),
            );
        },
      );
      expect(letter.headers['rnnflow-error-code']).toBe('value-too-large');
      expect(letter.headers['rnnflow-omitted-value-bytes']).toBe(String(2 * 1024 * 1024));
      expect(letter.size).toBe(0);
      expect(await predictor.stop(), predictor.log).toBe(0);
    });
  },
);
