import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@rnnflow/devstack';
import { runCli, ServiceProcess } from '../support/rnnflow.process.js';
import { FIRST_TS, forecastMse, seasonalSequences, TrainerHarness } from './trainer.harness.js';

const KEYS = 24;
const EVENTS = 120;

/** Small and short, so a round takes seconds on two busy cores. */
const TRAINING_ENV = {
  RNNFLOW_TRAIN_WINDOW: '16',
  RNNFLOW_TRAIN_WINDOW_STRIDE: '8',
  RNNFLOW_TRAIN_EPOCHS: '30',
  RNNFLOW_TRAIN_BATCH_SIZE: '32',
  RNNFLOW_TRAIN_LEARNING_RATE: '0.01',
  RNNFLOW_TRAIN_PATIENCE: '4',
  RNNFLOW_LABEL_FEATURES: '0',
};

interface Summary {
  backend: string;
  consumed: { events: number; keys: number; skipped: Record<string, number>; seconds: number };
  round: {
    outcome: string;
    reason?: string;
    version?: number;
    championVersion: number | null;
    startedFrom: string;
    losses: { champion: number; challenger: number; improvement: number; training: number };
    trainingWindow: { from: number; to: number };
    seconds: number;
  };
}

async function trainOnce(harness: TrainerHarness, env: Record<string, string>): Promise<Summary> {
  const result = await runCli(['trainer', '--once'], { ...harness.env, ...TRAINING_ENV, ...env });
  if (result.code !== 0) throw new Error(`trainer --once exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Summary;
}

describe('rnnflow trainer --once on a seasonal stream', () => {
  const harness = new TrainerHarness();
  beforeAll(async () => {
    await harness.start();
    await harness.produce(seasonalSequences(KEYS, EVENTS, 1));
    // Unreadable records must be skipped, not stall or crash the trainer.
    const producer = harness.clients.producer();
    await producer.connect();
    await producer.send({
      topic: harness.topic,
      messages: [
        { key: 'bad-json', value: '{not json' },
        { key: 'bad-shape', value: JSON.stringify({ features: [1, 2, 3] }) },
        { key: null, value: JSON.stringify({ features: [1, 2] }) },
      ],
    });
  });
  afterAll(() => harness.stop());

  it("publishes and activates a fine-tuned version with half the random model's held-out loss", async () => {
    const summary = await trainOnce(harness, {
      RNNFLOW_TRAINER_GROUP_ID: `trainer-a-${harness.run}`,
      RNNFLOW_TRAIN_MARGIN: '0.5',
    });
    console.info(
      `trainer round: backend ${summary.backend}, ${summary.round.seconds.toFixed(1)} s, held-out MSE ${summary.round.losses.champion.toFixed(4)} → ${summary.round.losses.challenger.toFixed(4)} (${(summary.round.losses.improvement * 100).toFixed(1)} % lower)`,
    );
    expect(summary.consumed).toMatchObject({ events: KEYS * EVENTS, keys: KEYS });
    expect(summary.consumed.skipped).toEqual({ 'not-json': 1, 'wrong-shape': 1, 'missing-key': 1 });
    expect(summary.round).toMatchObject({
      outcome: 'published',
      version: 2,
      championVersion: 1,
      startedFrom: 'champion',
    });
    expect(summary.round.losses.challenger).toBeLessThanOrEqual(
      0.5 * summary.round.losses.champion,
    );
    expect(await harness.registry.activeVersion(harness.model)).toBe(2);

    const info = await harness.registry.info(harness.model, 2);
    expect(info).toMatchObject({
      source: 'trainer',
      parentVersion: 1,
      trainingWindow: { from: FIRST_TS, to: FIRST_TS + (EVENTS - 1) * 1000 },
      validationLoss: summary.round.losses.challenger,
      trainingLoss: summary.round.losses.training,
    });
    const published = await harness.version(2);
    expect(info.fingerprint).toBe(published.fingerprint);

    // On keys it never saw, stepped the way the predictor steps them.
    const fresh = seasonalSequences(8, EVENTS, 99);
    const random = forecastMse(await harness.version(1), fresh);
    const trained = forecastMse(published, fresh);
    console.info(
      `fresh keys, next-step MSE: random ${random.toFixed(4)}, trained ${trained.toFixed(4)}`,
    );
    expect(trained).toBeLessThanOrEqual(0.5 * random);
  });

  it('records a rejection and keeps the active version when the margin cannot be met', async () => {
    // A new group reads the same stream again; against the trained version 2, a 90 % lower
    // loss is below the noise floor of the data (σ = 0.1, so MSE ≥ 0.01).
    const summary = await trainOnce(harness, {
      RNNFLOW_TRAINER_GROUP_ID: `trainer-b-${harness.run}`,
      RNNFLOW_TRAIN_MARGIN: '0.9',
    });
    expect(summary.round).toMatchObject({ outcome: 'rejected', championVersion: 2 });
    expect(summary.round.version).toBeUndefined();
    expect(summary.round.reason).toMatch(/margin is 90\.0 %/);
    expect(await harness.registry.activeVersion(harness.model)).toBe(2);
    expect((await harness.registry.list(harness.model)).map((v) => v.version)).toEqual([1, 2]);

    const [latest, previous] = (
      await harness.client.lrange(`rnnflow:trainer:{${harness.model}}:rounds`, 0, -1)
    ).map((entry) => JSON.parse(entry) as Summary['round']);
    expect(latest).toMatchObject({ outcome: 'rejected', championVersion: 2 });
    expect(latest.losses.improvement).toBeLessThan(0.9);
    expect(previous).toMatchObject({ outcome: 'published', version: 2 });
  });

  it('finds nothing new for a group that already read the topic, and publishes nothing', async () => {
    const summary = await trainOnce(harness, {
      RNNFLOW_TRAINER_GROUP_ID: `trainer-b-${harness.run}`,
    });
    expect(summary.consumed.events).toBe(0);
    expect(summary.round).toMatchObject({ outcome: 'skipped', reason: 'no events buffered' });
    expect(await harness.registry.activeVersion(harness.model)).toBe(2);
  });
});

describe('rnnflow trainer as a service on a fresh deployment', () => {
  const harness = new TrainerHarness();
  let trainer: ServiceProcess | undefined;
  beforeAll(() => harness.start({ importModel: false }));
  afterAll(async () => {
    await trainer?.kill();
    await harness.stop();
  });

  it('trains from scratch after N events, publishes the first version once it beats the untrained model, and stops on SIGTERM', async () => {
    const metricsPort = await findFreePort();
    trainer = new ServiceProcess(['trainer'], {
      ...harness.env,
      ...TRAINING_ENV,
      RNNFLOW_LOG_LEVEL: 'info',
      RNNFLOW_METRICS_PORT: String(metricsPort),
      RNNFLOW_TRAINER_GROUP_ID: `trainer-${harness.run}`,
      RNNFLOW_TRAIN_EVERY_EVENTS: String(KEYS * EVENTS),
      RNNFLOW_TRAIN_EVERY_SECONDS: '0',
      RNNFLOW_TRAIN_UNITS: '16',
      RNNFLOW_TRAIN_CELL: 'gru',
    });
    await trainer.waitForLog('trainer running');
    expect(trainer.log).toContain('"msg":"training on the');
    await harness.produce(seasonalSequences(KEYS, EVENTS, 2));
    await trainer.waitForLog('round published', 60_000);

    expect(await harness.registry.activeVersion(harness.model)).toBe(1);
    const info = await harness.registry.info(harness.model, 1);
    expect(info.source).toBe('trainer');
    expect(info.parentVersion).toBeUndefined();
    const model = await harness.version(1);
    expect(model.architecture.layers.map((layer) => [layer.type, layer.units])).toEqual([
      ['gru', 16],
    ]);
    const [round] = (
      await harness.client.lrange(`rnnflow:trainer:{${harness.model}}:rounds`, 0, 0)
    ).map((entry) => JSON.parse(entry) as Summary['round']);
    expect(round).toMatchObject({
      outcome: 'published',
      championVersion: null,
      startedFrom: 'scratch',
    });
    expect(round.losses.challenger).toBeLessThan(0.5 * round.losses.champion);

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/rnnflow_trainer_rounds_total\{[^}]*outcome="published"[^}]*\} 1/);
    expect(metrics).toMatch(
      new RegExp(`rnnflow_trainer_buffer_events\\{[^}]*\\} ${KEYS * EVENTS}\\b`),
    );
    expect(metrics).toMatch(/rnnflow_trainer_loss\{[^}]*kind="validation"[^}]*model_version="1"/);
    expect(metrics).toMatch(/rnnflow_trainer_round_seconds_count\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/rnnflow_trainer_buffer_keys\{[^}]*\} [1-9]/);

    expect(await trainer.stop()).toBe(0);
  });
});
