import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  allStepsSeen,
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';
import { expectFinalStatesMatch } from './state.check.js';

const KEYS = 30;
const EVENTS = 30;

/** The first `events` events of each sequence, and the rest. */
function split(
  sequences: Map<string, number[][]>,
  events: number,
): [Map<string, number[][]>, Map<string, number[][]>] {
  const head = new Map([...sequences].map(([key, sequence]) => [key, sequence.slice(0, events)]));
  const tail = new Map([...sequences].map(([key, sequence]) => [key, sequence.slice(events)]));
  return [head, tail];
}

describe('predictor under infrastructure faults', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start({ appendOnly: true }));
  afterAll(() => harness.stop());

  it('rides out a Redis restart and a broker outage without losing or repeating a step', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const [first, rest] = split(sequences, 10);
    const [second, third] = split(rest, 10);
    const predictor = await harness.startPredictor({ RNNFLOW_LOG_LEVEL: 'info' });
    onTestFailed(() => console.error(`predictor log:\n${predictor.log}`));

    await produceSequences(harness, first);
    await collectPredictions(harness, allStepsSeen(KEYS, 10));
    await harness.redis.restart();
    await produceSequences(harness, second);
    await collectPredictions(harness, allStepsSeen(KEYS, 20));

    // Broker 1 goes away while events keep coming: the partitions it leads stall, then resume.
    await harness.kafka.setBrokerDown(1);
    const producing = produceSequences(harness, third);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await harness.kafka.setBrokerUp(1);
    await producing;

    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);
    // The client logs connection errors during the outage; the consumer itself must not give up.
    expect(predictor.log).not.toContain('consumer stopped on an error it could not recover from');
    expect(await predictor.stop(), predictor.log).toBe(0);
  });
});
