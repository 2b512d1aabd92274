import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * A seeded pseudo-random source (pure-rand's xoroshiro128+) with the few distributions that
 * simulated signals, weights and shuffles need: the same sequence for the same seed, so that
 * every run, test failure and benchmark reproduces. Mutable: each call advances the stream.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /**
   * Stream number `stream` (e.g. a key index) of run seed `seed`. Both are mixed through a
   * 32-bit avalanche hash so that neighbouring keys of one seed get unrelated sequences.
   */
  static forStream(seed: number, stream: number): SeededRandom {
    return new SeededRandom(mix32(seed ^ mix32(stream + 0x9e3779b9)));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }
  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** True with probability `p` (0 never, 1 always). */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** -1 or +1 with equal probability. */
  sign(): number {
    return this.uniform() < 0.5 ? -1 : 1;
  }

  /** Whole number in [0, n). */
  below(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal (mean 0, standard deviation 1), by the Marsaglia polar method. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * scale;
    return u * scale;
  }
}

/** murmur3's 32-bit finaliser: every input bit flips about half of the output bits. */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Uniform floats in [0, 1) from `seed`, for code that only draws uniforms. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform();
}

/** Shuffles `items` in place (Fisher–Yates) with `random`, and returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
