import { ACTIVATION_FUNCTIONS } from './activation.wasm.js';
import type { CellActivation } from './architecture.js';
import { GEMV_FUNCTIONS } from './gemv.wasm.js';
import { LSTM_FUNCTIONS, lstmFunctionName } from './lstm.wasm.js';
import { assembleModule } from './wasm.encoder.js';
import type { PackedMatrix } from './packed.matrix.js';

type Gemv = (w: number, bias: number, K: number, Gp: number, input: number, out: number) => void;
type Gemv2 = (
  w: number,
  bias: number,
  K: number,
  Gp: number,
  inputA: number,
  outA: number,
  inputB: number,
  outB: number,
) => void;
type Activate = (ptr: number, count: number) => void;

/** The parts of the WebAssembly JS API used here (the project's TypeScript libs omit it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;

/** Compiled once per process; instances (one per stepper) are cheap. */
function gemvModule(): object {
  compiled ??= new wasm.Module(
    assembleModule([...GEMV_FUNCTIONS, ...ACTIVATION_FUNCTIONS, ...LSTM_FUNCTIONS]),
  );
  return compiled;
}

const PAGE_BYTES = 65536;

/** A packed matrix copied into an arena: float offsets of its weights and bias. */
export interface PlacedMatrix {
  readonly w: number;
  readonly bias: number;
  readonly K: number;
  readonly Gp: number;
}

/**
 * The WebAssembly memory of one stepper: weights copied in once, workspaces allocated at
 * creation, then `gemv` and activation calls with no allocation. Regions are float offsets into {@link heap};
 * read `heap` again after allocating (growing the memory replaces the view).
 */
export class GemvArena {
  private readonly memory = new wasm.Memory({ initial: 1 });
  private readonly gemvFn: Gemv;
  private readonly gemv2Fn: Gemv2;
  private readonly exports: Record<string, unknown>;
  private used = 0;
  /** Float32 view of the whole memory. */
  heap: Float32Array;

  constructor() {
    const instance = new wasm.Instance(gemvModule(), { env: { memory: this.memory } });
    this.exports = instance.exports;
    this.gemvFn = instance.exports.gemv1 as Gemv;
    this.gemv2Fn = instance.exports.gemv2 as Gemv2;
    this.heap = new Float32Array(this.memory.buffer);
  }

  /** Reserves `floats` zeroed floats, 16-byte aligned; returns their offset. */
  alloc(floats: number): number {
    const offset = this.used;
    this.used += Math.ceil(floats / 4) * 4;
    const missing = this.used * 4 - this.memory.buffer.byteLength;
    if (missing > 0) {
      this.memory.grow(Math.ceil(missing / PAGE_BYTES));
      this.heap = new Float32Array(this.memory.buffer);
    }
    return offset;
  }

  /** Copies a packed matrix into the arena. */
  place(matrix: PackedMatrix): PlacedMatrix {
    const w = this.alloc(matrix.values.length);
    const bias = this.alloc(matrix.Gp);
    this.heap.set(matrix.values, w);
    this.heap.set(matrix.bias, bias);
    return { w, bias, K: matrix.K, Gp: matrix.Gp };
  }

  /** heap[out …+Gp] = bias + heap[input …+K]·W (see gemv.wasm.ts). */
  gemv(matrix: PlacedMatrix, input: number, out: number): void {
    this.gemvFn(matrix.w * 4, matrix.bias * 4, matrix.K, matrix.Gp, input * 4, out * 4);
  }

  /**
   * {@link gemv} for `n` keys (1 or 2): the second key's input and output sit `inputStride` and
   * `outStride` floats after the first's. Two keys share each weight load, bit-identically.
   */
  gemvKeys(
    matrix: PlacedMatrix,
    n: number,
    input: number,
    inputStride: number,
    out: number,
    outStride: number,
  ): void {
    if (n === 2) this.gemv2(matrix, input, out, input + inputStride, out + outStride);
    else this.gemv(matrix, input, out);
  }

  /** {@link gemv} for two keys at once, bit-identical to two separate calls. */
  gemv2(matrix: PlacedMatrix, inputA: number, outA: number, inputB: number, outB: number): void {
    const { w, bias, K, Gp } = matrix;
    this.gemv2Fn(w * 4, bias * 4, K, Gp, inputA * 4, outA * 4, inputB * 4, outB * 4);
  }

  /**
   * The in-place activation over `count` floats at float offset `at` (count a multiple of 4,
   * the region padded accordingly). Resolve once per kernel, call per step.
   */
  activation(kind: CellActivation): (at: number, count: number) => void {
    if (kind === 'linear') return () => undefined;
    const activate = this.exports[kind] as Activate;
    return (at, count) => activate(at * 4, count);
  }

  /**
   * The fused LSTM update (see lstm.wasm.ts) for these activations, on float offsets: gates at
   * `z` (Up floats each), c at `c` (updated), h written at `h`.
   */
  lstmUpdate(
    act: CellActivation,
    rec: CellActivation,
  ): (z: number, c: number, h: number, Up: number) => void {
    const update = this.exports[lstmFunctionName(act, rec)] as (
      z: number,
      c: number,
      h: number,
      Up: number,
    ) => void;
    return (z, c, h, Up) => update(z * 4, c * 4, h * 4, Up);
  }
}
