/**
 * A WebAssembly SIMD kernel for the one matmul of the hot path, assembled here byte by byte so
 * the library needs no toolchain and no binary file. V8 compiles it to SSE/NEON: four float32
 * lanes per instruction, about 7× the throughput of the best scalar JavaScript loop (measured
 * with bench/step.bench.ts).
 *
 * Exported function `gemv(w, bias, K, Gp, input, out)`, all pointers in bytes into the imported
 * memory `env.memory`:
 *
 *   out[j] = bias[j] + Σ_{k<K} input[k] · W[k][j]   for j < Gp (Gp a multiple of 16)
 *
 * with W packed in blocks of 16 columns: block b holds, for k = 0..K-1, the 16 floats
 * W[k][16b .. 16b+15] (see packColumns). Each block keeps four f32x4 accumulators in registers;
 * every lane adds its products in the order k = 0, 1, …, K-1 with float32 rounding after each
 * multiply and add (WebAssembly never fuses them), so a key's result never depends on which
 * other keys are stepped in the same batch.
 */

function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [
  ...uleb(text.length),
  ...Array.from(text, (c) => c.charCodeAt(0)),
];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geU: [0x4f],
  eqz: [0x45],
  /** f32.load, 4-byte aligned, offset 0. */
  f32Load: [0x2a, 2, 0],
  v128Load: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
};

// Parameters, then locals.
const [W, BIAS, K, GP, INPUT, OUT] = [0, 1, 2, 3, 4, 5];
const [J, WP, REMAINING, IP, PTR] = [6, 7, 8, 9, 10];
const X = 11;
const ACC = [12, 13, 14, 15];

/** `PTR = base + J·4`, i.e. the byte address of column J in a float array at `base`. */
const columnAddress = (base: number) => [
  ...op.get(base),
  ...op.get(J),
  ...op.i32(2),
  ...op.shl,
  ...op.add,
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
  ...op.tee(PTR),
  ...ACC.flatMap((acc, q) => [
    ...(q === 0 ? [] : op.get(PTR)),
    ...op.v128Load(16 * q),
    ...op.set(acc),
  ]),
  // WP = w + J·K·4: the start of this 16-column block.
  ...op.get(W),
  ...op.get(J),
  ...op.get(K),
  ...op.mul,
  ...op.i32(2),
  ...op.shl,
  ...op.add,
  ...op.set(WP),
  ...op.get(INPUT),
  ...op.set(IP),
  ...op.get(K),
  ...op.set(REMAINING),
  ...op.block,
  ...op.get(REMAINING),
  ...op.eqz,
  ...op.brIf(0),
  ...op.loop,
  // X = splat(input[k]); ACC[q] += X · W[k][J + 4q .. J + 4q + 3]
  ...op.get(IP),
  ...op.f32Load,
  ...op.f32x4Splat,
  ...op.set(X),
  ...ACC.flatMap((acc, q) => [
    ...op.get(acc),
    ...op.get(X),
    ...op.get(WP),
    ...op.v128Load(16 * q),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(acc),
  ]),
  ...op.get(WP),
  ...op.i32(64),
  ...op.add,
  ...op.set(WP),
  ...op.get(IP),
  ...op.i32(4),
  ...op.add,
  ...op.set(IP),
  ...op.get(REMAINING),
  ...op.i32(1),
  ...op.sub,
  ...op.tee(REMAINING),
  ...op.brIf(0),
  ...op.end,
  ...op.end,
  ...columnAddress(OUT),
  ...op.set(PTR),
  ...ACC.flatMap((acc, q) => [...op.get(PTR), ...op.get(acc), ...op.v128Store(16 * q)]),
  ...op.get(J),
  ...op.i32(16),
  ...op.add,
  ...op.set(J),
  ...op.br(0),
  ...op.end,
  ...op.end,
  ...op.end,
];

const code = [
  ...vector([
    [...uleb(5), I32],
    [...uleb(5), V128],
  ]),
  ...body,
];

/** The module's bytes: one function type, the imported memory, the exported `gemv`. */
export const GEMV_WASM = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]])),
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
  ...section(3, vector([[0]])),
  ...section(7, vector([[...name('gemv'), 0x00, 0]])),
  ...section(10, vector([[...uleb(code.length), ...code]])),
]);

/** Columns per packed block (four f32x4 accumulators). */
export const GEMV_BLOCK = 16;
