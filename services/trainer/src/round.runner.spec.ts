import { loadSettings } from '@rnnflow/config';
import { createLogger } from '@rnnflow/logging';
import { createMetrics, createTrainerMetrics } from '@rnnflow/metrics';
import type { NewVersion, VersionInfo } from '@rnnflow/registry';
import { createTrainableModel, initTrainingBackend, toArtefactBytes } from '@rnnflow/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingIntake } from './event.intake.js';
import type { RawRecord } from './input.record.js';
import type { RoundRecord } from './round.log.js';
import { runRound, type RoundRegistry } from './round.runner.js';
import { TrainerError } from './trainer.errors.js';
import { trainerSettings, type TrainerSettings } from './trainer.settings.js';

const SETTINGS = loadSettings(trainerSettings, {
  env: {
    KAFKA_BROKERS: '127.0.0.1:9092',
    RNNFLOW_MODEL: 'spec',
    RNNFLOW_TRAIN_WINDOW: '12',
    RNNFLOW_TRAIN_EPOCHS: '15',
    RNNFLOW_TRAIN_BATCH_SIZE: '16',
    RNNFLOW_TRAIN_LEARNING_RATE: '0.02',
    RNNFLOW_TRAIN_UNITS: '8',
  },
});

/** A registry in memory, whose active version can be changed behind the round's back. */
class MemoryRegistry implements RoundRegistry {
  readonly versions: { artefact: Uint8Array; details: NewVersion }[] = [];
  active: number | null = null;
  /** Called on every activeVersion() read, e.g. to simulate an operator's rollback. */
  onRead: (reads: number) => void = () => {};
  private reads = 0;

  async activeVersion(): Promise<number | null> {
    this.onRead(++this.reads);
    return this.active;
  }

  async artefact(_model: string, version: number): Promise<Buffer> {
    return Buffer.from(this.versions[version - 1].artefact);
  }

  async publish(
    model: string,
    artefact: Uint8Array,
    details: NewVersion,
    options: { activate?: boolean } = {},
  ): Promise<VersionInfo> {
    this.versions.push({ artefact, details });
    const version = this.versions.length;
    if (options.activate) this.active = version;
    return { ...details, model, version, createdAt: 0, sizeBytes: artefact.byteLength };
  }
}

/** 8 keys of a sine with a phase per key; `target` is the next value when `withTarget`. */
function seasonalRecords(withTarget = false): RawRecord[] {
  const records: RawRecord[] = [];
  for (let t = 0; t < 60; t += 1) {
    for (let key = 0; key < 8; key += 1) {
      const at = (step: number) => Math.sin((2 * Math.PI * step) / 12 + key);
      const value = withTarget
        ? { features: [at(t), 1], ts: t, target: [at(t + 1)] }
        : { features: [at(t), 1], ts: t };
      records.push({
        key: Buffer.from(`k${key}`),
        value: Buffer.from(JSON.stringify(value)),
        timestamp: 0,
      });
    }
  }
  return records;
}

function context(
  registry: RoundRegistry,
  intake: TrainingIntake,
  settings: TrainerSettings = SETTINGS,
) {
  const recorded: RoundRecord[] = [];
  return {
    recorded,
    context: {
      settings,
      registry,
      intake,
      log: { record: async (round: RoundRecord) => void recorded.push(round) },
      recorder: createTrainerMetrics(createMetrics({ service: 'trainer', defaultMetrics: false })),
      logger: createLogger('trainer-spec', 'silent'),
    },
  };
}

function intakeFor(champion: { inputSize: number; outputSize: number } | null, withTarget = false) {
  const intake = new TrainingIntake({
    maxKeys: 100,
    eventsPerKey: 100,
    maxValueBytes: 1000,
    labelFeatures: [0],
    champion,
  });
  intake.accept(seasonalRecords(withTarget));
  return intake;
}

/** Version 1: a seeded untrained LSTM of the given outputs, as an imported model would be. */
async function withChampion(registry: MemoryRegistry, outputs = 1): Promise<void> {
  const model = createTrainableModel({
    architecture: {
      inputSize: 2,
      layers: [
        {
          type: 'lstm',
          units: 8,
          activation: 'tanh',
          recurrentActivation: 'sigmoid',
          useBias: true,
        },
      ],
      head: { units: outputs, activation: 'linear', useBias: true },
    },
    seed: 3,
  });
  const artefact = await toArtefactBytes(model);
  model.network.dispose();
  await registry.publish(
    'spec',
    artefact,
    { source: 'import', fingerprint: 'x' },
    { activate: true },
  );
}

describe('runRound', () => {
  beforeAll(() => initTrainingBackend());

  it('on a fresh deployment, trains from scratch and publishes only past the untrained model', async () => {
    const registry = new MemoryRegistry();
    const { context: round, recorded } = context(registry, intakeFor(null));
    const result = await runRound(round);
    expect(result).toMatchObject({
      outcome: 'published',
      version: 1,
      championVersion: null,
      startedFrom: 'scratch',
      trainingWindow: { from: 0, to: 59 },
    });
    expect(result.losses!.challenger).toBeLessThan(
      result.losses!.champion! * (1 - SETTINGS.margin),
    );
    expect(registry.active).toBe(1);
    expect(registry.versions[0].details).toMatchObject({
      source: 'trainer',
      parentVersion: undefined,
    });
    expect(recorded).toEqual([result]);
  });

  it('learns from event targets, and fine-tunes the active version', async () => {
    const registry = new MemoryRegistry();
    await withChampion(registry);
    const { context: round } = context(registry, intakeFor({ inputSize: 2, outputSize: 1 }, true));
    const result = await runRound(round);
    expect(result).toMatchObject({ outcome: 'published', version: 2, startedFrom: 'champion' });
    expect(registry.versions[1].details.parentVersion).toBe(1);
  });

  it('trains the configured architecture from scratch against the active version when asked', async () => {
    const registry = new MemoryRegistry();
    await withChampion(registry);
    const settings = { ...SETTINGS, trainFrom: 'scratch' as const, cell: 'gru' as const };
    const { context: round } = context(
      registry,
      intakeFor({ inputSize: 2, outputSize: 1 }),
      settings,
    );
    const result = await runRound(round);
    expect(result).toMatchObject({
      outcome: 'published',
      startedFrom: 'scratch',
      championVersion: 1,
    });
    expect(registry.versions[1].details.parentVersion).toBeUndefined();
  });

  it('publishes nothing when the active version changed while the challenger trained', async () => {
    const registry = new MemoryRegistry();
    await withChampion(registry);
    registry.onRead = (reads) => {
      if (reads === 2) registry.active = 7;
    };
    const { context: round, recorded } = context(
      registry,
      intakeFor({ inputSize: 2, outputSize: 1 }),
    );
    const result = await runRound(round);
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toMatch(/changed from 1 to 7/);
    expect(registry.versions).toHaveLength(1);
    expect(recorded[0].outcome).toBe('rejected');
  });

  it('skips a round without events, and refuses an active model of another shape', async () => {
    const registry = new MemoryRegistry();
    const empty = new TrainingIntake({
      maxKeys: 10,
      eventsPerKey: 10,
      maxValueBytes: 1000,
      labelFeatures: [0],
      champion: null,
    });
    const skipped = await runRound(context(registry, empty).context);
    expect(skipped).toMatchObject({ outcome: 'skipped', reason: 'no events buffered' });

    await withChampion(registry, 2);
    const mismatch = runRound(context(registry, intakeFor(null)).context);
    await expect(mismatch).rejects.toBeInstanceOf(TrainerError);
    await expect(mismatch).rejects.toMatchObject({ code: 'TRAINER_SHAPE_MISMATCH' });
  });
});
