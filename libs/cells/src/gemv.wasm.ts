import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * The one matmul of the hot path as a WebAssembly SIMD function. V8 compiles it to SSE/NEON:
 * four float32 lanes per instruction, several times the throughput of scalar JavaScript.
 *
 * `gemv1(w, bias, K, Gp, input, out)`, all pointers in bytes into the arena memory:
 *
 *   out[j] = bias[j] + Σ_{k<K} input[k] · W[k][j]   for j < Gp (Gp a multiple of 16)
 *
 * with W packed in blocks of 16 columns: block b holds, for k = 0..K-1, the 16 floats
 * W[k][16b .. 16b+15] (see packMatrix). Each block keeps four f32x4 accumulators in registers;
 * every lane adds its products in the order k = 0, 1, …, K-1 with float32 rounding after each
 * multiply and add (WebAssembly never fuses them), so a key's result never depends on which
 * other keys are stepped in the same batch.
 */

/** Columns per packed block (four f32x4 accumulators). */
export const GEMV_BLOCK = 16;

/**
 * `gemv<keys>(w, bias, K, Gp, input0, out0[, input1, out1])`: the same map for one or two keys
 * at once. The two-key form loads each weight vector once for both keys (eight accumulators);
 * per lane the arithmetic is identical to the one-key form. (A four-key form measured no
 * faster: at two keys the loop is bound by multiply/add throughput, not by weight loads.)
 */
function gemvFunction(keys: 1 | 2): WasmFunction {
  const [W, BIAS, K, GP] = [0, 1, 2, 3];
  const keyIndices = Array.from({ length: keys }, (_, m) => m);
  const input = (m: number) => 4 + 2 * m;
  const out = (m: number) => 5 + 2 * m;
  const params = 4 + 2 * keys;
  // i32 locals, then v128 locals.
  const [J, WP, REMAINING, PTR] = [0, 1, 2, 3].map((i) => params + i);
  const ip = (m: number) => params + 4 + m;
  const v128Base = params + 4 + keys;
  const WT = v128Base;
  const x = (m: number) => v128Base + 1 + m;
  const QUARTERS = [0, 1, 2, 3];
  const acc = (m: number, slot: number) => v128Base + 1 + keys + 4 * m + slot;

  /** The byte address of column J in a float array at `base`. */
  const columnAddress = (base: number) => [
    ...op.get(base),
    ...op.get(J),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
  ];

  /** Columns J + 4q … J + 4q + 3 for q in `quarters`, every key. */
  const pass = (quarters: number[]) => [
    ...columnAddress(BIAS),
    ...op.set(PTR),
    ...keyIndices.flatMap((m) =>
      quarters.flatMap((q, slot) => [
        ...op.get(PTR),
        ...op.v128Load(16 * q),
        ...op.set(acc(m, slot)),
      ]),
    ),
    // WP = w + J·K·4: the start of this 16-column block.
    ...op.get(W),
    ...op.get(J),
    ...op.get(K),
    ...op.mul,
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.set(WP),
    ...keyIndices.flatMap((m) => [...op.get(input(m)), ...op.set(ip(m))]),
    ...op.get(K),
    ...op.set(REMAINING),
    ...op.block,
    ...op.get(REMAINING),
    ...op.eqz,
    ...op.brIf(0),
    ...op.loop,
    // x_m = splat(input_m[k]); acc[m][q] += x_m · W[k][J + 4q .. J + 4q + 3]
    ...keyIndices.flatMap((m) => [
      ...op.get(ip(m)),
      ...op.f32Load,
      ...op.f32x4Splat,
      ...op.set(x(m)),
    ]),
    ...quarters.flatMap((q, slot) => [
      ...op.get(WP),
      ...op.v128Load(16 * q),
      ...op.set(WT),
      ...keyIndices.flatMap((m) => [
        ...op.get(acc(m, slot)),
        ...op.get(x(m)),
        ...op.get(WT),
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...op.set(acc(m, slot)),
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
    ...keyIndices.flatMap((m) => [
      ...columnAddress(out(m)),
      ...op.set(PTR),
      ...quarters.flatMap((q, slot) => [
        ...op.get(PTR),
        ...op.get(acc(m, slot)),
        ...op.v128Store(16 * q),
      ]),
    ]),
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
    ...pass(QUARTERS),
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
