import { drawSpike, type Anomaly } from './anomaly.signal.js';
import type { FeatureProcess } from './feature.process.js';
import { RegimeProcess } from './regime.signal.js';
import { SeasonalProcess } from './seasonal.signal.js';
import { SeededRandom } from '@rnnflow/random';
import { SimulatorOptionError } from './simulator.errors.js';
import { RandomWalkProcess } from './walk.signal.js';

/** Base process of the keys: every key seasonal, every key a random walk, or half and half. */
export const SIGNAL_KINDS = ['seasonal', 'walk', 'mixed'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** How the synthetic features of every key are made. */
export interface SignalOptions {
  /** Run seed, a 32-bit unsigned integer: the same seed gives the same features per key. */
  seed: number;
  /** Features per event, 1–4096. */
  features: number;
  kind: SignalKind;
  /** Probability per event of a spike, 0–1. */
  anomalyRate: number;
  /** Probability per event that the key enters a new regime, 0–1. */
  regimeShiftRate: number;
  /** Standard deviation of the observation noise, as a fraction of each feature's scale, ≥ 0. */
  noise: number;
}

/** One event's worth of features for one key. */
export interface SignalSample {
  /** Feature values, `features` of them. */
  features: number[];
  /** Set when a spike was injected into this sample. */
  anomaly?: Anomaly;
  /** The key's regime number: 0 at start, +1 on every shift. */
  regime: number;
}

export const MAX_FEATURES = 4096;

/**
 * The feature sequence of one key: a seasonal or random-walk base, plus regime level offsets,
 * Gaussian observation noise scaled by the regime, and rare spikes. Deterministic: the same
 * options and key index give the same samples in the same order.
 */
export class KeySignal {
  /** The base process this key drew (resolves `mixed`). */
  readonly kind: Exclude<SignalKind, 'mixed'>;
  private readonly base: FeatureProcess;
  private readonly regime: RegimeProcess;

  /** Use {@link createKeySignal}, which checks the options. */
  constructor(
    private readonly options: SignalOptions,
    private readonly random: SeededRandom,
  ) {
    this.kind =
      options.kind === 'mixed' ? (random.chance(0.5) ? 'seasonal' : 'walk') : options.kind;
    this.base =
      this.kind === 'seasonal'
        ? new SeasonalProcess(random, options.features)
        : new RandomWalkProcess(random, options.features);
    this.regime = new RegimeProcess(random, this.base.scales, options.regimeShiftRate);
  }

  /** The next sample of this key. */
  next(): SignalSample {
    const features = new Array<number>(this.options.features);
    this.base.next(features);
    this.regime.advance();
    const { scales } = this.base;
    const noise = this.options.noise * this.regime.noiseScale;
    for (let f = 0; f < features.length; f += 1) {
      features[f] += this.regime.offsets[f] + noise * scales[f] * this.random.normal();
    }
    const anomaly = drawSpike(this.random, scales, this.options.anomalyRate);
    if (anomaly === undefined) return { features, regime: this.regime.index };
    features[anomaly.feature] += anomaly.delta;
    return { features, anomaly, regime: this.regime.index };
  }
}

/** The signal of key number `keyIndex` (≥ 0) under `options`; throws on options out of range. */
export function createKeySignal(options: SignalOptions, keyIndex: number): KeySignal {
  checkSignalOptions(options);
  if (!Number.isSafeInteger(keyIndex) || keyIndex < 0) {
    throw new SimulatorOptionError(`key index must be a whole number ≥ 0, got ${keyIndex}`);
  }
  return new KeySignal(options, SeededRandom.forStream(options.seed, keyIndex));
}

/** Throws a {@link SimulatorOptionError} naming the first option out of range. */
function checkSignalOptions(options: SignalOptions): void {
  const { seed, features, kind, anomalyRate, regimeShiftRate, noise } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new SimulatorOptionError(`seed must be a whole number from 0 to 4294967295, got ${seed}`);
  }
  if (!Number.isInteger(features) || features < 1 || features > MAX_FEATURES) {
    throw new SimulatorOptionError(`features must be 1–${MAX_FEATURES}, got ${features}`);
  }
  if (!SIGNAL_KINDS.includes(kind)) {
    throw new SimulatorOptionError(`kind must be one of ${SIGNAL_KINDS.join(', ')}, got ${kind}`);
  }
  for (const [name, rate] of [
    ['anomaly rate', anomalyRate],
    ['regime shift rate', regimeShiftRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new SimulatorOptionError(`${name} must be a probability from 0 to 1, got ${rate}`);
    }
  }
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new SimulatorOptionError(`noise must be a finite number ≥ 0, got ${noise}`);
  }
}
