import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  encodeModel,
  RecurrentModel,
  traceGates,
  weightSlotsOf,
  type ModelArchitecture,
} from '@rnnflow/cells';
import { startRedis, startRedisCluster } from '@rnnflow/devstack';
import { ModelRegistry } from '@rnnflow/registry';
import type { RedisConnection } from '@rnnflow/redis';
import { StateStore, createRedisConnection, type StateRecord } from '@rnnflow/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/rnnflow.process.js';
import { uniquePrefix } from './state.fixtures.js';

const ARCHITECTURE: ModelArchitecture = {
  inputSize: 3,
  layers: [
    { type: 'lstm', units: 5, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
    {
      type: 'gru',
      units: 4,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      resetAfter: false,
      useBias: true,
    },
  ],
  head: { units: 1, activation: 'linear', useBias: true },
};

function deterministicModel(): RecurrentModel {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1.2 - 0.6;
  return RecurrentModel.create({
    architecture: ARCHITECTURE,
    weights: weightSlotsOf(ARCHITECTURE).map((slot) => ({
      ...slot,
      values: Float32Array.from({ length: slot.shape.reduce((a, b) => a * b, 1) }, next),
    })),
  });
}

const INPUTS = Array.from({ length: 6 }, (_, t) =>
  Float32Array.from([Math.sin(t), Math.cos(t), t / 6]),
);

/** What a predictor keeping its inputs would have stored after stepping INPUTS from zero. */
function storedRecord(model: RecurrentModel): StateRecord {
  const stepper = model.createStepper(1);
  const state = model.createStates(1);
  for (const input of INPUTS) stepper.step(input, state, 1, new Float32Array(1));
  const vectors = model.stateLayout.vectors.map((v) => state.slice(v.offset, v.offset + v.length));
  return {
    modelVersion: 1,
    step: 42,
    offset: 1041,
    updatedAtMs: Date.UTC(2026, 11, 5, 12),
    ended: false,
    vectors,
    recentInputs: INPUTS,
  };
}

interface Target {
  redis: RedisConnection;
  flags: string[];
  stop(): Promise<void>;
}

const TARGETS: [string, () => Promise<Target>][] = [
  [
    'a single Redis',
    async () => {
      const server = await startRedis();
      const redis = await createRedisConnection({ url: server.url });
      return {
        redis,
        flags: ['--redis-url', server.url],
        stop: async () => {
          redis.disconnect();
          await server.stop();
        },
      };
    },
  ],
  [
    'a Redis Cluster',
    async () => {
      const cluster = await startRedisCluster({ masters: 3 });
      const redis = await createRedisConnection({ clusterNodes: cluster.nodes });
      return {
        redis,
        flags: ['--redis-cluster-nodes', cluster.nodes.join(',')],
        stop: async () => {
          redis.disconnect();
          await cluster.stop();
        },
      };
    },
  ],
];

describe.each(TARGETS)('npx rnnflow state inspect on %s', (_, start) => {
  let target: Target;
  let dir: string;
  const name = `inspect-${uniquePrefix()}`;
  const model = deterministicModel();

  beforeAll(async () => {
    target = await start();
    dir = await mkdtemp(path.join(tmpdir(), 'rnnflow-inspect-'));
    const registry = new ModelRegistry(target.redis);
    await registry.publish(
      name,
      encodeModel(model),
      { source: 'import', fingerprint: model.fingerprint },
      { activate: true },
    );
    const store = new StateStore({
      connection: target.redis,
      model: { name, fingerprint: model.fingerprint, layout: [5, 5, 4] },
    });
    const scope = { topic: 'events', partition: 2 };
    const epoch = await store.acquireEpoch(scope);
    await store.writeStates({ ...scope, epoch }, [
      { key: 'sensor-7', record: storedRecord(model) },
    ]);
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await target?.stop();
  });

  it('shows the key and replays its kept inputs with the gates a tfjs-checked trace gives', async () => {
    const out = path.join(dir, 'shown');
    const { code, stdout, stderr } = await runCli(
      ['state', 'inspect', '--model', name, '--key', 'sensor-7', '--out', out, ...target.flags],
      {},
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('topic events partition 2');
    expect(stdout).toContain('step 42, offset 1041, model version 1');
    expect((await readdir(out)).sort()).toEqual([
      'gates-layer0.png',
      'gates-layer1.png',
      'inspect.json',
    ]);
    const report = JSON.parse(await readFile(path.join(out, 'inspect.json'), 'utf8'));
    const record = storedRecord(model);
    expect(report).toMatchObject({
      scope: { topic: 'events', partition: 2 },
      step: 42,
      offset: 1041,
      modelVersion: 1,
      precision: 'float32',
      layers: ['lstm', 'gru'],
    });
    expect(report.vectors.map((v: { name: string }) => v.name)).toEqual(['h', 'c', 'h']);
    const h0 = Array.from(record.vectors[0]);
    expect(report.vectors[0].norm).toBeCloseTo(Math.hypot(...h0), 6);
    expect(report.vectors[0].min).toBeCloseTo(Math.min(...h0), 6);
    // The whole sequence was kept, so replaying it from zero reaches the stored state.
    expect(report.replayStateDifference).toBeLessThan(1e-5);
    const traced = traceGates(model, INPUTS);
    expect(report.replay).toHaveLength(INPUTS.length);
    report.replay.forEach((step: { layers: Record<string, number>[] }, t: number) => {
      const lstm = traced[t].layers[0];
      if (lstm.type !== 'lstm') throw new Error('layer 0 is an LSTM');
      const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(step.layers[0].forget).toBeCloseTo(mean(lstm.forget), 9);
      expect(Object.keys(step.layers[1]).sort()).toEqual([
        'candidate',
        'hidden',
        'reset',
        'update',
      ]);
      expect(step.layers[0].input).toBeGreaterThan(0);
      expect(step.layers[0].input).toBeLessThan(1);
    });
  }, 60_000);

  it('refuses an unknown key with a message naming it, and writes nothing', async () => {
    const out = path.join(dir, 'unknown');
    const { code, stderr } = await runCli(
      ['state', 'inspect', '--model', name, '--key', 'nobody', '--out', out, ...target.flags],
      {},
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`rnnflow: no state of key "nobody" for model ${name}`);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  }, 60_000);
});
