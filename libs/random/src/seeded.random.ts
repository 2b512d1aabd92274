/**
 * The seeded pseudo-random generator (mulberry32): uniform floats in [0, 1), the same sequence
 * for the same seed, so that every run, test failure and benchmark reproduces.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher–Yates) with `random`, and returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * {@link seededRandom} with the few distributions simulated signals need. Mutable: each call
 * advances the stream.
 */
export class SeededRandom {
  private readonly next: () => number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.next = seededRandom(seed);
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
    return this.next();
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
