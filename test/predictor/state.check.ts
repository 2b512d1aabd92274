import { decodeModel } from '@rnnflow/cells';
import { ModelRegistry } from '@rnnflow/registry';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisConnection, StateStore, type ReadResult } from '@rnnflow/state';
import { expect } from 'vitest';
import type { PredictionValue, PredictorHarness } from './predictor.harness.js';

/**
 * The state stored for every key equals that of stepping its whole sequence once, from zero,
 * with the served model: a lost step or a step applied twice would show as another state. The
 * predictions say which input partition (and so which state scope) each key lives in.
 */
export async function expectFinalStatesMatch(
  harness: PredictorHarness,
  sequences: Map<string, number[][]>,
  byKey: Map<string, PredictionValue[]>,
): Promise<void> {
  const redis = await createRedisConnection({ url: harness.env.REDIS_URL });
  try {
    const registry = new ModelRegistry(redis);
    const model = decodeModel(await registry.artefact(harness.env.RNNFLOW_MODEL, 1));
    const store = new StateStore({
      connection: redis,
      model: {
        name: harness.env.RNNFLOW_MODEL,
        fingerprint: model.fingerprint,
        layout: model.stateLayout.vectors.map((vector) => vector.length),
      },
    });
    // States are written behind the predictions: wait (boundedly) until every key has all its
    // steps, then compare them.
    const deadline = Date.now() + STATES_SETTLE_MS;
    let reads = await readFinalStates(harness, store, sequences, byKey);
    while (!reads.every(({ read, length }) => isAtStep(read, length)) && Date.now() < deadline) {
      await sleep(200);
      reads = await readFinalStates(harness, store, sequences, byKey);
    }
    for (const { key, read, sequence } of reads) {
      expect(read.status, key).toBe('found');
      if (read.status !== 'found') continue;
      expect(read.record.step, key).toBe(sequence.length);
      const stepper = model.createStepper(1);
      const state = model.createStates(1);
      const output = new Float32Array(model.outputSize);
      for (const features of sequence) stepper.step(Float32Array.from(features), state, 1, output);
      expect(
        Float32Array.from(read.record.vectors.flatMap((vector) => Array.from(vector))),
        key,
      ).toEqual(state);
    }
  } finally {
    redis.disconnect();
  }
}

const STATES_SETTLE_MS = 20_000;

function isAtStep(read: ReadResult, length: number): boolean {
  return read.status === 'found' && read.record.step === length;
}

async function readFinalStates(
  harness: PredictorHarness,
  store: StateStore,
  sequences: Map<string, number[][]>,
  byKey: Map<string, PredictionValue[]>,
): Promise<{ key: string; read: ReadResult; sequence: number[][]; length: number }[]> {
  const committed = await committedOffsets(harness);
  const reads = [];
  for (const [key, sequence] of sequences) {
    const partition = byKey.get(key)![0].source.partition;
    const [read] = await store.readStates({ topic: harness.topics.input, partition }, [key], {
      committedOffset: committed.get(partition),
    });
    reads.push({ key, read, sequence, length: sequence.length });
  }
  return reads;
}

/** The predictor group's committed offsets: what decides whether a pending state counts. */
async function committedOffsets(harness: PredictorHarness): Promise<Map<number, number>> {
  const admin = harness.clients.kafka.admin();
  await admin.connect();
  try {
    const [topic] = await admin.fetchOffsets({
      groupId: harness.env.RNNFLOW_GROUP_ID,
      topics: [harness.topics.input],
    });
    return new Map(
      topic.partitions.map(({ partition, offset }) => [partition, Math.max(Number(offset), 0)]),
    );
  } finally {
    await admin.disconnect();
  }
}
