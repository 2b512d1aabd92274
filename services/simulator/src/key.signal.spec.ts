import { describe, expect, it } from 'vitest';
import { createKeySignal, type SignalOptions } from './key.signal.js';
import { SimulatorOptionError } from './simulator.errors.js';

const options: SignalOptions = {
  seed: 42,
  features: 4,
  kind: 'mixed',
  anomalyRate: 0.01,
  regimeShiftRate: 0.005,
  noise: 0.1,
};

const samples = (opts: SignalOptions, keyIndex: number, n: number) => {
  const signal = createKeySignal(opts, keyIndex);
  return Array.from({ length: n }, () => signal.next());
};

describe('KeySignal', () => {
  it('is deterministic under a seed and differs across keys and seeds', () => {
    const first = samples(options, 5, 300);
    expect(samples(options, 5, 300)).toEqual(first);
    expect(samples(options, 6, 300)).not.toEqual(first);
    expect(samples({ ...options, seed: 43 }, 5, 300)).not.toEqual(first);
  });

  it.each([1, 3, 17])('produces %i finite features per sample', (features) => {
    for (const kind of ['seasonal', 'walk'] as const) {
      for (const sample of samples({ ...options, features, kind }, 0, 500)) {
        expect(sample.features).toHaveLength(features);
        expect(sample.features.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('resolves mixed into both seasonal and walk keys', () => {
    const kinds = new Set(
      Array.from({ length: 40 }, (_, key) => createKeySignal(options, key).kind),
    );
    expect(kinds).toEqual(new Set(['seasonal', 'walk']));
  });

  it('injects spikes at roughly the configured rate and flags them', () => {
    const rate = 0.02;
    let spikes = 0;
    let total = 0;
    for (let key = 0; key < 20; key += 1) {
      for (const sample of samples({ ...options, anomalyRate: rate }, key, 1000)) {
        total += 1;
        if (sample.anomaly === undefined) continue;
        spikes += 1;
        expect(sample.anomaly.feature).toBeGreaterThanOrEqual(0);
        expect(sample.anomaly.feature).toBeLessThan(options.features);
        // Smallest spike: 6 scales of the smallest scale, 0.5.
        expect(Math.abs(sample.anomaly.delta)).toBeGreaterThanOrEqual(3);
      }
    }
    // Expected 400, binomial standard deviation 20: ±100 is 5 of them.
    expect(Math.abs(spikes - rate * total)).toBeLessThan(100);
  });

  it('injects no spikes and no shifts when both rates are 0', () => {
    const quiet = samples({ ...options, anomalyRate: 0, regimeShiftRate: 0 }, 1, 2000);
    expect(quiet.every((sample) => sample.anomaly === undefined && sample.regime === 0)).toBe(true);
  });

  it('moves every feature level by a visible step at each regime shift', () => {
    // Without noise or spikes, a seasonal key with shifts minus the same key without them is
    // exactly the regime offsets: constant within a regime, jumping at each shift.
    const calm: SignalOptions = { ...options, kind: 'seasonal', noise: 0, anomalyRate: 0 };
    const base = samples({ ...calm, regimeShiftRate: 0 }, 3, 3000);
    const shifted = samples({ ...calm, regimeShiftRate: 0.01 }, 3, 3000);
    let shifts = 0;
    for (let t = 1; t < shifted.length; t += 1) {
      const offsetNow = shifted[t].features.map((x, f) => x - base[t].features[f]);
      const offsetBefore = shifted[t - 1].features.map((x, f) => x - base[t - 1].features[f]);
      const steps = offsetNow.map((x, f) => Math.abs(x - offsetBefore[f]));
      if (shifted[t].regime === shifted[t - 1].regime) {
        for (const step of steps) expect(step).toBeLessThan(1e-9);
      } else {
        shifts += 1;
        expect(shifted[t].regime).toBe(shifted[t - 1].regime + 1);
        // Smallest shift: 1.5 scales of the smallest scale, 0.5.
        for (const step of steps) expect(step).toBeGreaterThanOrEqual(0.75);
      }
    }
    // Expected 30 shifts, standard deviation about 5.5.
    expect(shifts).toBeGreaterThan(10);
    expect(shifts).toBeLessThan(55);
  });

  it('keeps a seasonal key periodic: its noise-free values repeat their range', () => {
    const calm: SignalOptions = {
      ...options,
      kind: 'seasonal',
      noise: 0,
      anomalyRate: 0,
      regimeShiftRate: 0,
    };
    const values = samples(calm, 9, 2000).map((sample) => sample.features[0]);
    const firstHalf = values.slice(0, 1000);
    const secondHalf = values.slice(1000);
    // Periods are at most 240 × 7 events, so each half sees the full swing of the sines.
    expect(Math.abs(Math.max(...firstHalf) - Math.max(...secondHalf))).toBeLessThan(0.5);
    expect(Math.abs(Math.min(...firstHalf) - Math.min(...secondHalf))).toBeLessThan(0.5);
  });

  it('rejects options out of range', () => {
    expect(() => createKeySignal({ ...options, features: 0 }, 0)).toThrow(SimulatorOptionError);
    expect(() => createKeySignal({ ...options, anomalyRate: 1.5 }, 0)).toThrow(/anomaly rate/);
    expect(() => createKeySignal({ ...options, seed: -1 }, 0)).toThrow(/seed/);
    expect(() => createKeySignal(options, -1)).toThrow(/key index/);
  });
});
