import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, loadTfjsDirectory, type RecurrentModel } from '@rnnflow/cells';
import { ModelRegistry } from '@rnnflow/registry';
import type { RedisConnection } from '@rnnflow/redis';
import { createRedisConnection } from '@rnnflow/state';
import { runCli, scrapeMetric } from '../support/rnnflow.process.js';
import { buildLstmModel, saveModelDirectory } from '../support/tfjs-model.js';
import {
  collectPredictions,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const KEYS = 8;
const PHASE = 8;
const REWARM_WINDOW = 3;
type Policy = 'carry' | 'reset' | 'rewarm';

describe.each(['carry', 'reset', 'rewarm'] as const)(
  'hot-swap of model versions under the %s policy',
  (policy) => {
    const harness = new PredictorHarness();
    let redis: RedisConnection;
    let registry: ModelRegistry;
    let directory: string;
    beforeAll(async () => {
      await harness.start({
        partitions: 3,
        env: { RNNFLOW_SWAP_STATE_POLICY: policy, RNNFLOW_REWARM_WINDOW: String(REWARM_WINDOW) },
      });
      redis = await createRedisConnection({ url: harness.env.REDIS_URL });
      registry = new ModelRegistry(redis);
      directory = await mkdtemp(join(tmpdir(), 'rnnflow-swap-'));
    });
    afterAll(async () => {
      redis?.disconnect();
      await rm(directory, { recursive: true, force: true });
      await harness.stop();
    });

    it('swaps between batches within a second and never skips or repeats a step (with refusals and rollback under carry)', async () => {
      const model = harness.env.RNNFLOW_MODEL;
      const versions = policy === 'carry' ? [1, 2, 2, 1] : [1, 2];
      const sequences = makeSequences(KEYS, versions.length * PHASE);
      const phase = (index: number) =>
        new Map(
          [...sequences].map(([key, sequence]) => [
            key,
            sequence.slice(index * PHASE, (index + 1) * PHASE),
          ]),
        );
      const predictor = await harness.startPredictor();
      const activeVersion = () =>
        scrapeMetric(predictor.metricsPort!, 'rnnflow_predictor_active_model_version', { model });
      const runPhase = async (index: number) => {
        await produceSequences(harness, phase(index));
        return collectPredictions(harness, (_, count) => count === KEYS * PHASE * (index + 1));
      };

      await runPhase(0);
      await saveModelDirectory(
        buildLstmModel({ inputSize: 4, units: 16, outputs: 3, seed: 99 }),
        join(directory, 'v2'),
      );
      expect(
        (
          await runCli(
            ['model', 'import', '--model', model, '--from', join(directory, 'v2')],
            harness.env,
          )
        ).stdout.trim(),
      ).toBe('2');
      const activated = Date.now();
      await registry.activate(model, 2);
      await expect.poll(activeVersion, { timeout: 5000, interval: 20 }).toBe(2);
      // The requirement is 1 s; the poll adds up to its interval.
      expect(Date.now() - activated, 'activation to swap, ms').toBeLessThan(1000);
      let byKey = await runPhase(1);
      // Refusals and rollback are the same under every policy: exercised once, with carry.
      if (policy === 'carry') {
        const refused = () =>
          scrapeMetric(predictor.metricsPort!, 'rnnflow_predictor_model_swaps_total', {
            outcome: 'refused',
          });
        for (const [index, bytes] of (await badVersions(registry, model)).entries()) {
          await registry.publish(
            model,
            bytes,
            { source: 'import', fingerprint: 'bad' },
            { activate: true },
          );
          await expect.poll(refused, { timeout: 5000, interval: 20 }).toBe(index + 1);
        }
        expect(await activeVersion()).toBe(2);
        await runPhase(2);

        expect(
          (await runCli(['model', 'activate', '--model', model, '--version', '1'], harness.env))
            .code,
        ).toBe(0);
        await expect.poll(activeVersion, { timeout: 5000, interval: 20 }).toBe(1);
        byKey = await runPhase(3);
      }

      const models = new Map([1, 2].map((version) => [version, null as unknown as RecurrentModel]));
      for (const version of models.keys())
        models.set(version, decodeModel(await registry.artefact(model, version)));
      for (const [key, sequence] of sequences) {
        const expected = expectedPredictions(sequence, versions, models, policy);
        const received = byKey.get(key)!;
        expect(
          received.map((prediction) => [prediction.model.version, prediction.step]),
          key,
        ).toEqual(expected.map((prediction) => [prediction.version, prediction.step]));
        const worst = Math.max(
          ...received.flatMap((prediction, index) =>
            prediction.output.map((value, output) =>
              Math.abs(value - expected[index].output[output]),
            ),
          ),
        );
        expect(worst, `largest output difference for ${key}`).toBeLessThan(1e-6);
      }
      expect(await predictor.stop(), predictor.log).toBe(0);
    });
  },
);

/** A truncated artefact, one with a corrupted byte (checksum), and a valid one taking other features. */
async function badVersions(registry: ModelRegistry, model: string): Promise<Uint8Array[]> {
  const good = encodeModel(decodeModel(await registry.artefact(model, 1)));
  const flipped = Uint8Array.from(good);
  flipped[flipped.length - 40] ^= 0xff;
  const otherFeatures = buildLstmModel({ inputSize: 5, units: 16, outputs: 3, seed: 5 });
  const directory = await mkdtemp(join(tmpdir(), 'rnnflow-other-'));
  await saveModelDirectory(otherFeatures, directory);
  const other = encodeModel(await loadTfjsDirectory(directory));
  await rm(directory, { recursive: true, force: true });
  return [good.subarray(0, good.length / 2), flipped, other];
}

/**
 * What the predictor must answer for one key whose phases are served by `versions`: the carry
 * policy keeps the state across a swap, reset starts at zero (and step 1), rewarm recomputes
 * the state from the last inputs with the new weights and keeps counting steps.
 */
function expectedPredictions(
  sequence: number[][],
  versions: number[],
  models: Map<number, RecurrentModel>,
  policy: Policy,
) {
  const expected: { version: number; step: number; output: number[] }[] = [];
  const first = models.get(versions[0])!;
  let state = first.createStates(1);
  let step = 0;
  sequence.forEach((features, index) => {
    const version = versions[Math.floor(index / PHASE)];
    const previous = expected.at(-1)?.version;
    const model = models.get(version)!;
    if (previous !== undefined && previous !== version && policy !== 'carry') {
      state = model.createStates(1);
      if (policy === 'reset') step = 0;
      else
        for (const input of sequence.slice(Math.max(0, index - REWARM_WINDOW), index))
          model
            .createStepper(1)
            .step(Float32Array.from(input), state, 1, new Float32Array(model.outputSize));
    }
    const output = new Float32Array(model.outputSize);
    model.createStepper(1).step(Float32Array.from(features), state, 1, output);
    step += 1;
    expected.push({ version, step, output: Array.from(output) });
  });
  return expected;
}
