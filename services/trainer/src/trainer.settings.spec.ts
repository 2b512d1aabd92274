import { loadSettings, ConfigError } from '@rnnflow/config';
import { describe, expect, it } from 'vitest';
import { trainerSettings } from './trainer.settings.js';

const BROKERS = { KAFKA_BROKERS: '127.0.0.1:9092' };

describe('trainerSettings', () => {
  it('has defaults for everything but the brokers', () => {
    const settings = loadSettings(trainerSettings, { env: BROKERS });
    expect(settings).toMatchObject({
      model: 'default',
      inputTopic: 'events',
      groupId: 'rnnflow-trainer',
      metricsPort: 9465,
      trainFrom: 'active',
      cell: 'lstm',
      units: [32],
      labelFeatures: [0],
      windowStride: undefined,
    });
  });

  it('reads lists, flags over the environment, and names each bad setting', () => {
    const settings = loadSettings(trainerSettings, {
      env: { ...BROKERS, RNNFLOW_TRAIN_UNITS: '32, 16', RNNFLOW_TRAINER_GROUP_ID: 'env-group' },
      flags: { 'group-id': 'flag-group', 'label-features': '0,2' },
    });
    expect(settings).toMatchObject({
      units: [32, 16],
      groupId: 'flag-group',
      labelFeatures: [0, 2],
    });
    let error: unknown;
    try {
      loadSettings(trainerSettings, {
        env: {
          ...BROKERS,
          RNNFLOW_TRAIN_UNITS: '8,8,8,8,8',
          RNNFLOW_LABEL_FEATURES: 'a',
          RNNFLOW_TRAIN_HELDOUT_FRACTION: '1',
          RNNFLOW_TRAIN_CELL: 'transformer',
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'RNNFLOW_TRAIN_UNITS',
      'RNNFLOW_LABEL_FEATURES',
      'RNNFLOW_TRAIN_HELDOUT_FRACTION',
      'RNNFLOW_TRAIN_CELL',
    ]) {
      expect(message).toContain(name);
    }
  });
});
