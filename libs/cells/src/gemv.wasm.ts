import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * The one matmul of the hot path as WebAssembly SIMD functions. V8 compiles them to SSE/NEON:
 * four float32 lanes per instruction, several times the throughput of scalar JavaScript.
 *
 * `gemv1(w, bias, Gp, K1, K2, a, b, out)`, pointers in bytes into the arena memory:
 *
 *   out[j] = bias[j] + Σ_{k<K1} a[k]·W[k][j] + Σ_{k<K2} b[k]·W[K1 + k][j]   for j < Gp
 *
 * i.e. W multiplies the concatenation [a; b] (an input x and a state h) without copying them
 * together. Gp is a multiple of 16; W is packed in blocks of 16 columns: block b holds, for
 * k = 0..K1+K2-1, the 16 floats W[k][16b .. 16b+15] (see packMatrix). Each block keeps four
 * f32x4 accumulators per key in registers; every lane adds its products in the order
 * k = 0, 1, …, K1+K2-1 with float32 rounding after each multiply and add (WebAssembly never
 * fuses them), so a key's result never depends on which other keys are stepped with it.
 *
 * `gemv2(w, bias, Gp, K1, K2, a0, b0, out0, a1, b1, out1)` does two keys at once, loading each
 * weight vector once for both (eight accumulators); per lane the arithmetic is identical. (A
 * four-key form measured no faster: at two keys the loop is bound by multiply/add throughput.)
 */

/** Columns per packed block (four f32x4 accumulators). */
export const GEMV_BLOCK = 16;

function gemvFunction(keys: 1 | 2): WasmFunction {
  const [W, BIAS, GP, K1, K2] = [0, 1, 2, 3, 4];
  const keyIndices = Array.from({ length: keys }, (_, m) => m);
  const segmentA = (m: number) => 5 + 3 * m;
  const segmentB = (m: number) => 6 + 3 * m;
  const out = (m: number) => 7 + 3 * m;
  const params = 5 + 3 * keys;
  // i32 locals, then v128 locals.
  const [J, WP, REMAINING, PTR] = [0, 1, 2, 3].map((i) => params + i);
  const ip = (m: number) => params + 4 + m;
  const v128Base = params + 4 + keys;
  const WT = v128Base;
  const x = (m: number) => v128Base + 1 + m;
  const QUARTERS = [0, 1, 2, 3];
  const acc = (m: number, q: number) => v128Base + 1 + keys + 4 * m + q;

  /** The byte address of column J in a float array at `base`. */
  const columnAddress = (base: number) => [
    ...op.get(base),
    ...op.get(J),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
  ];

  /** Accumulates `count` inputs per key read from `segment(m)`; WP walks on through W. */
  const segment = (count: number, from: (m: number) => number) => [
    ...keyIndices.flatMap((m) => [...op.get(from(m)), ...op.set(ip(m))]),
    ...op.get(count),
    ...op.set(REMAINING),
    ...op.block,
    ...op.get(REMAINING),
    ...op.eqz,
    ...op.brIf(0),
    ...op.loop,
    // x_m = splat(input_m[k]); acc[m][q] += x_m · W[k][J + 4q .. J + 4q + 3]
    // (v128.load32_splat: a broadcast load, no shuffle competing with the multiply/add pipes)
    ...keyIndices.flatMap((m) => [...op.get(ip(m)), ...op.v128Load32Splat, ...op.set(x(m))]),
    ...QUARTERS.flatMap((q) => [
      ...op.get(WP),
      ...op.v128Load(16 * q),
      ...op.set(WT),
      ...keyIndices.flatMap((m) => [
        ...op.get(acc(m, q)),
        ...op.get(x(m)),
        ...op.get(WT),
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...op.set(acc(m, q)),
      ]),
    ]),
    ...op.get(WP),
    ...op.i32(64),
    ...op.add,
    ...op.set(WP),
    ...keyIndices.flatMap((m) => [...op.get(ip(m)), ...op.i32(4), ...op.add, ...op.set(ip(m))]),
    ...op.get(REMAINING),
    ...op.i32(1),
    ...op.sub,
    ...op.tee(REMAINING),
    ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];

  const body = [
    ...op.i32(0),
    ...op.set(J),
    ...op.block,
    ...op.loop,
    // for (J = 0; J < Gp; J += 16)
    ...op.get(J),
    ...op.get(GP),
    ...op.geU,
    ...op.brIf(1),
    ...columnAddress(BIAS),
    ...op.set(PTR),
    ...keyIndices.flatMap((m) =>
      QUARTERS.flatMap((q) => [...op.get(PTR), ...op.v128Load(16 * q), ...op.set(acc(m, q))]),
    ),
    // WP = w + J·(K1 + K2)·4: the start of this 16-column block.
    ...op.get(W),
    ...op.get(J),
    ...op.get(K1),
    ...op.get(K2),
    ...op.add,
    ...op.mul,
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.set(WP),
    ...segment(K1, segmentA),
    ...segment(K2, segmentB),
    ...keyIndices.flatMap((m) => [
      ...columnAddress(out(m)),
      ...op.set(PTR),
      ...QUARTERS.flatMap((q) => [...op.get(PTR), ...op.get(acc(m, q)), ...op.v128Store(16 * q)]),
    ]),
    ...op.get(J),
    ...op.i32(16),
    ...op.add,
    ...op.set(J),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return {
    name: `gemv${keys}`,
    params,
    i32Locals: 4 + keys,
    v128Locals: 1 + keys + 4 * keys,
    body,
  };
}

export const GEMV_FUNCTIONS: WasmFunction[] = [gemvFunction(1), gemvFunction(2)];
