import { ConfigError, loadSettings } from '@rnnflow/config';
import { describe, expect, it } from 'vitest';
import { plannedRecords, simulatorSettings } from './simulator.settings.js';

const load = (env: Record<string, string>, flags: Record<string, string> = {}) =>
  loadSettings(simulatorSettings, { env: { KAFKA_BROKERS: '127.0.0.1:9092', ...env }, flags });

describe('simulatorSettings', () => {
  it('has defaults for everything but the brokers', () => {
    expect(load({})).toMatchObject({
      topic: 'events',
      metricsPort: 9466,
      keys: 100,
      rate: 100,
      durationSeconds: undefined,
      events: undefined,
      features: 4,
      kind: 'mixed',
      target: 'none',
      tombstoneEvery: 0,
      progress: true,
    });
  });

  it('reads the shared names and its own, flags first', () => {
    const settings = load(
      { RNNFLOW_INPUT_TOPIC: 'in', RNNFLOW_SIM_RATE: '2.5', RNNFLOW_SIM_KIND: 'walk' },
      { rate: '50', duration: '3' },
    );
    expect(settings).toMatchObject({ topic: 'in', rate: 50, kind: 'walk', durationSeconds: 3 });
  });

  it('names every bad setting at once', () => {
    expect(() => load({ RNNFLOW_SIM_ANOMALY_RATE: '2', RNNFLOW_SIM_KIND: 'sine' })).toThrow(
      ConfigError,
    );
    expect(() => load({ RNNFLOW_SIM_ANOMALY_RATE: '2', RNNFLOW_SIM_KIND: 'sine' })).toThrow(
      /RNNFLOW_SIM_ANOMALY_RATE[\s\S]*RNNFLOW_SIM_KIND|RNNFLOW_SIM_KIND[\s\S]*RNNFLOW_SIM_ANOMALY_RATE/,
    );
  });
});

describe('plannedRecords', () => {
  it('is the smaller of --events and rate × duration, unbounded without either', () => {
    expect(plannedRecords({ rate: 100, events: 50, durationSeconds: 10 })).toBe(50);
    expect(plannedRecords({ rate: 100, events: 5000, durationSeconds: 10 })).toBe(1000);
    expect(plannedRecords({ rate: 100, events: undefined, durationSeconds: undefined })).toBe(
      Infinity,
    );
  });
});
