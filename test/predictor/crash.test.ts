import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAfterCommitAndAbort } from '../support/kafka.js';
import {
  allStepsSeen,
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
  type PredictionValue,
} from './predictor.harness.js';
import { expectFinalStatesMatch } from './state.check.js';

const KEYS = 50;
const EVENTS = 40;

describe.each(['at-least-once', 'exactly-once'] as const)(
  'predictor killed with SIGKILL mid-run (%s)',
  (delivery) => {
    const harness = new PredictorHarness();
    beforeAll(() => harness.start({ env: { RNNFLOW_DELIVERY: delivery } }));
    afterAll(() => harness.stop());

    it('loses no step, applies none twice, and ends with the states of an uninterrupted run', async () => {
      const sequences = makeSequences(KEYS, EVENTS);
      await produceSequences(harness, sequences);
      const first = await harness.startPredictor();
      await collectPredictions(harness, (_, count) => count >= (KEYS * EVENTS) / 3);
      await first.kill();

      const second = await harness.startPredictor();
      const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
      expectMatchesTfjs(harness, sequences, byKey);
      await expectFinalStatesMatch(harness, sequences, byKey);
      if (delivery === 'exactly-once') await expectNoDuplicates(harness, byKey);
      expect(await second.stop(), second.log).toBe(0);
    });
  },
);

/**
 * A read_committed reader must see each (key, step) once. librdkafka's mock broker does not hide
 * aborted transactions from such readers, so there the check cannot hold and is skipped, saying why.
 */
async function expectNoDuplicates(
  harness: PredictorHarness,
  byKey: Map<string, PredictionValue[]>,
): Promise<void> {
  const seen = await readAfterCommitAndAbort(
    harness.clients,
    harness.topics.deadLetter,
    `isolation-${harness.run}`,
  );
  if (seen.some((value) => value.startsWith('aborted'))) {
    console.warn(
      'skipped the exactly-once duplicate check: this broker (librdkafka mock) shows aborted transactions to read_committed consumers',
    );
    return;
  }
  for (const [key, predictions] of byKey) {
    expect(
      predictions.map((prediction) => prediction.step),
      key,
    ).toEqual(predictions.map((_, index) => index + 1));
  }
}
