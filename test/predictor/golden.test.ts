import { librdkafkaUnavailableReason } from '@rnnflow/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const KEYS = 50;
const EVENTS = 40;

// Both clients the at-least-once predictor can produce with: librdkafka (the default where
// node-rdkafka is installed) and kafkajs. node-rdkafka is built for the Node.js that ran npm ci;
// under another major version (the Node 24 run of CI) it does not load and `auto` is kafkajs.
const librdkafkaMissing = librdkafkaUnavailableReason();
if (librdkafkaMissing !== undefined) {
  console.warn(`node-rdkafka did not load (${librdkafkaMissing}): only kafkajs is tested here`);
}
describe.each(librdkafkaMissing === undefined ? ['librdkafka', 'kafkajs'] : ['kafkajs'])(
  'predictor end to end against tfjs, producing with %s',
  (client) => {
    const harness = new PredictorHarness();
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());

    it('gives every key the outputs of tfjs predict on its whole sequence, steps 1..40 in order', async () => {
      const sequences = makeSequences(KEYS, EVENTS);
      await produceSequences(harness, sequences);
      const predictor = await harness.startPredictor({
        RNNFLOW_KAFKA_PRODUCER: client,
        RNNFLOW_LOG_LEVEL: 'info',
      });
      const byKey = await collectPredictions(harness, (_, count) => count === KEYS * EVENTS);
      expectMatchesTfjs(harness, sequences, byKey);
      for (const [key, predictions] of byKey) {
        expect(
          predictions.map((prediction) => prediction.step),
          key,
        ).toEqual(Array.from({ length: EVENTS }, (_, index) => index + 1));
        expect(
          predictions.every(
            (prediction) =>
              prediction.model.version === 1 && prediction.source.topic === harness.topics.input,
          ),
        ).toBe(true);
      }
      expect(predictor.log).toContain(`producing predictions with ${client}`);
      expect(await predictor.stop(), predictor.log).toBe(0);
    });
  },
);
