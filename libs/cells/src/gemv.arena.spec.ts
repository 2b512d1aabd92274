import { describe, expect, it } from 'vitest';
import { GemvArena } from './gemv.arena.js';
import { packMatrix, range } from './packed.matrix.js';
import { seededRandom } from '@rnnflow/random';
import { randomFloats } from './testing/tfjs.fixture.js';

/** out = bias + input·W in double precision, straight from the definition. */
function reference(
  input: Float32Array,
  kernel: Float32Array,
  bias: Float32Array,
  cols: number,
): number[] {
  return Array.from(bias, (b, j) => input.reduce((sum, v, k) => sum + v * kernel[k * cols + j], b));
}

describe('WebAssembly gemv kernel', () => {
  it.each([
    [1, 1],
    [3, 5],
    [13, 16],
    [8, 33],
    [72, 256],
  ])('computes bias + x·W for K = %i inputs and G = %i outputs', (K, G) => {
    const random = seededRandom(K * 1000 + G);
    const kernel = randomFloats(random, K * G, 1);
    const bias = randomFloats(random, G, 1);
    const input = randomFloats(random, K, 1);
    const arena = new GemvArena();
    const matrix = arena.place(
      packMatrix(range(0, G), bias, { values: kernel, rows: K, cols: G }, null),
    );
    const x = arena.alloc(K);
    const out = arena.alloc(matrix.Gp);
    arena.heap.set(input, x);
    arena.gemv(matrix, 1, x, 0, 0, 0, out, 0);
    const actual = Array.from(arena.heap.subarray(out, out + G));
    const expected = reference(input, kernel, bias, G);
    actual.forEach((v, j) => expect(v).toBeCloseTo(expected[j], 5));
    expect(matrix.Gp % 16).toBe(0);
  });

  it('stacks kernel over recurrent rows, picks the requested columns and their biases', () => {
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]); // [2 × 3]
    const recurrent = Float32Array.from([10, 20, 30]); // [1 × 3]
    const arena = new GemvArena();
    const matrix = arena.place(
      packMatrix(
        [2, 0],
        Float32Array.from([-0.5, 0, 0.5]), // by column: column 0 → -0.5, column 2 → 0.5
        { values: kernel, rows: 2, cols: 3 },
        { values: recurrent, rows: 1, cols: 3 },
      ),
    );
    const x = arena.alloc(3);
    const out = arena.alloc(matrix.Gp);
    arena.heap.set([1, 1, 1], x);
    arena.gemv(matrix, 1, x, 0, x + 2, 0, out, 0);
    // column 2: 3 + 6 + 30 + 0.5; column 0: 1 + 4 + 10 - 0.5
    expect(Array.from(arena.heap.subarray(out, out + 2))).toEqual([39.5, 14.5]);
  });

  it('reads x and h from separate places, and two keys at once bit-identically', () => {
    const random = seededRandom(77);
    const [I, U, G] = [5, 7, 20];
    const kernel = randomFloats(random, I * G, 1);
    const recurrent = randomFloats(random, U * G, 1);
    const arena = new GemvArena();
    const matrix = arena.place(
      packMatrix(
        range(0, G),
        randomFloats(random, G, 1),
        { values: kernel, rows: I, cols: G },
        { values: recurrent, rows: U, cols: G },
      ),
    );
    const xs = arena.alloc(2 * I);
    const hs = arena.alloc(2 * 16); // the keys' h 16 floats apart
    const contiguous = arena.alloc(I + U);
    const [single, pair, joined] = [arena.alloc(2 * 32), arena.alloc(2 * 32), arena.alloc(32)];
    arena.heap.set(randomFloats(random, 2 * I, 1), xs);
    arena.heap.set(randomFloats(random, 2 * 16, 1), hs);
    arena.gemv(matrix, 1, xs, 0, hs, 0, single, 0);
    arena.gemv(matrix, 1, xs + I, 0, hs + 16, 0, single + 32, 0);
    arena.gemv(matrix, 2, xs, I, hs, 16, pair, 32);
    arena.heap.copyWithin(contiguous, xs, xs + I);
    arena.heap.copyWithin(contiguous + I, hs, hs + U);
    arena.gemv(matrix, 1, contiguous, 0, contiguous + I, 0, joined, 0);
    const view = (at: number) => Array.from(arena.heap.subarray(at, at + G));
    expect(view(pair)).toEqual(view(single));
    expect(view(pair + 32)).toEqual(view(single + 32));
    expect(view(joined)).toEqual(view(single));
  });

  it('keeps earlier regions when the memory grows', () => {
    const arena = new GemvArena();
    const first = arena.alloc(4);
    arena.heap.set([1, 2, 3, 4], first);
    arena.alloc(200_000);
    expect(Array.from(arena.heap.subarray(first, first + 4))).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['tanh', Math.tanh, 1e-6],
    ['sigmoid', (x: number) => 1 / (1 + Math.exp(-x)), 1e-6],
    ['hardSigmoid', (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5)), 1e-7],
    ['relu', (x: number) => Math.max(0, x), 0],
    ['linear', (x: number) => x, 0],
  ] as const)('applies %s in place within its tolerance', (kind, exact, tolerance) => {
    const xs = Float32Array.from({ length: 4000 }, (_, i) => -20 + i * 0.01);
    const arena = new GemvArena();
    const at = arena.alloc(xs.length + 4);
    arena.heap.set(xs, at);
    arena.heap[at + xs.length] = 123; // past the range: must stay untouched
    arena.activation(kind)(at, xs.length);
    const worst = xs.reduce(
      (max, x, i) => Math.max(max, Math.abs(arena.heap[at + i] - exact(x))),
      0,
    );
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(arena.heap[at + xs.length]).toBe(123);
  });
});
