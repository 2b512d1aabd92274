/**
 * Just enough of the WebAssembly binary format to assemble the library's few SIMD kernels in
 * TypeScript (no toolchain, no binary file in the repository). Opcodes as in the WebAssembly 2.0
 * specification, SIMD under the 0xfd prefix.
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

const simd = (code: number): number[] => [0xfd, ...uleb(code)];

/** Instruction encoders. Memory accesses take a constant byte offset. */
export const op = {
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
  /** memory.copy(dst, src, bytes) (bulk memory). */
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  /** A float32 constant broadcast to four lanes. */
  f32x4Const: (value: number) => {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return [0x43, ...bytes, ...simd(0x13)];
  },
  v128Load: (offset: number) => [...simd(0x00), 4, ...uleb(offset)],
  /** v128.load32_splat: one float from memory broadcast to four lanes. */
  v128Load32Splat: [...simd(0x09), 2, 0],
  v128Store: (offset: number) => [...simd(0x0b), 4, ...uleb(offset)],
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  /** pmin(a, b) = b < a ? b : a (one minps, unlike f32x4.min's NaN handling). */
  f32x4Pmin: simd(0xea),
  /** pmax(a, b) = a < b ? b : a. */
  f32x4Pmax: simd(0xeb),
};

/** One exported function taking i32 parameters and returning nothing. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  readonly i32Locals: number;
  readonly v128Locals: number;
  readonly body: readonly number[];
}

/** A module importing `env.memory` and exporting `functions`. */
export function assembleModule(functions: readonly WasmFunction[]): Uint8Array {
  const signatures = [...new Set(functions.map((f) => f.params))];
  const types = signatures.map((count) => [
    0x60,
    ...vector(Array.from({ length: count }, () => [I32])),
    0,
  ]);
  const codes = functions.map((f) => {
    const code = [
      ...vector([
        [...uleb(f.i32Locals), I32],
        [...uleb(f.v128Locals), V128],
      ]),
      ...f.body,
      ...op.end,
    ];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vector(functions.map((f) => uleb(signatures.indexOf(f.params))))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(codes)),
  ]);
}
