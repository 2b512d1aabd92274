import { ACTIVATION_FUNCTIONS } from './activation.wasm.js';
import type { CellActivation } from './architecture.js';
import { GEMV_FUNCTIONS } from './gemv.wasm.js';
import { GRU_FUNCTIONS, gruBlendFunctionName, gruResetFunctionName } from './gru.wasm.js';
import { LSTM_FUNCTIONS, lstmFunctionName } from './lstm.wasm.js';
import type { PackedMatrix } from './packed.matrix.js';
import { assembleModule } from './wasm.encoder.js';

type Gemv1 = (...args: [number, number, number, number, number, number, number, number]) => void;
type Gemv2 = (
  ...args: [number, number, number, number, number, number, number, number, number, number, number]
) => void;
type Activate = (ptr: number, count: number) => void;
/**
 * A fused LSTM update or GRU blend (lstm.wasm.ts, gru.wasm.ts): three regions, the units, the
 * padded units and the scratch region. Positional like the WebAssembly function it forwards to:
 * it runs once per key per layer per step, where an options object would be built per call.
 */
// eslint-disable-next-line @typescript-eslint/max-params -- the wasm export's signature, see above
export type FusedUpdate = (
  a: number,
  b: number,
  h: number,
  U: number,
  Up: number,
  scratch: number,
) => void;
type GruReset = (zr: number, h: number, Up: number, rh: number) => void;

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
function kernelsModule(): object {
  compiled ??= new wasm.Module(
    assembleModule([
      ...GEMV_FUNCTIONS,
      ...ACTIVATION_FUNCTIONS,
      ...LSTM_FUNCTIONS,
      ...GRU_FUNCTIONS,
    ]),
  );
  return compiled;
}

const PAGE_BYTES = 65536;

/** A packed matrix copied into an arena: float offsets of its weights and bias. */
export interface PlacedMatrix {
  readonly w: number;
  readonly bias: number;
  readonly K1: number;
  readonly K2: number;
  readonly Gp: number;
}

/**
 * The WebAssembly memory of one stepper: weights copied in once, batch buffers and workspaces
 * allocated at creation, then kernel calls with no allocation. Regions are float offsets into
 * {@link heap}; read `heap` again after allocating (growing the memory replaces the view).
 */
export class GemvArena {
  private readonly memory = new wasm.Memory({ initial: 1 });
  private readonly exports: Record<string, unknown>;
  private readonly gemv1: Gemv1;
  private readonly gemv2: Gemv2;
  private used = 0;
  /** Float32 view of the whole memory. */
  heap: Float32Array;

  constructor() {
    const instance = new wasm.Instance(kernelsModule(), { env: { memory: this.memory } });
    this.exports = instance.exports;
    this.gemv1 = instance.exports.gemv1 as Gemv1;
    this.gemv2 = instance.exports.gemv2 as Gemv2;
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
    return { w, bias, K1: matrix.K1, K2: matrix.K2, Gp: matrix.Gp };
  }

  /**
   * For `n` keys (1 or 2): heap[out …+Gp] = bias + [heap[a …+K1]; heap[b …+K2]]·W (see
   * gemv.wasm.ts); the second key's a, b and out sit `as`, `bs`, `os` floats after the first's.
   * Two keys share each weight load, bit-identically to two single calls.
   *
   * Eight positional numbers, not an options object: this is the cell kernels' inner call (every
   * layer, every pair of keys, every step), its arguments change on every call and go straight
   * into the WebAssembly function's parameters, so an options object would be built per call.
   */
  // eslint-disable-next-line @typescript-eslint/max-params -- hot path, see above
  gemv(
    matrix: PlacedMatrix,
    n: number,
    a: number,
    as: number,
    b: number,
    bs: number,
    out: number,
    os: number,
  ): void {
    const { w, bias, Gp, K1, K2 } = matrix;
    if (n === 2) {
      this.gemv2(
        w * 4,
        bias * 4,
        Gp,
        K1,
        K2,
        a * 4,
        b * 4,
        out * 4,
        (a + as) * 4,
        (b + bs) * 4,
        (out + os) * 4,
      );
    } else {
      this.gemv1(w * 4, bias * 4, Gp, K1, K2, a * 4, b * 4, out * 4);
    }
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
   * `z` (Up floats each), c (U floats) at `c` and h at `h` updated through 2·Up floats of
   * `scratch`.
   */
  lstmUpdate(act: CellActivation, rec: CellActivation): FusedUpdate {
    const update = this.exports[lstmFunctionName(act, rec)] as FusedUpdate;
    // eslint-disable-next-line @typescript-eslint/max-params -- FusedUpdate, hot path
    return (z, c, h, U, Up, scratch) => update(z * 4, c * 4, h * 4, U, Up, scratch * 4);
  }

  /**
   * The GRU's reset pass (see gru.wasm.ts), on float offsets: z and r pre-activations at `zr`
   * (Up floats each), z activated in place and rec(r)·h written to `rh`.
   */
  gruReset(rec: CellActivation): (zr: number, h: number, Up: number, rh: number) => void {
    const reset = this.exports[gruResetFunctionName(rec)] as GruReset;
    return (zr, h, Up, rh) => reset(zr * 4, h * 4, Up, rh * 4);
  }

  /**
   * The GRU's blend (see gru.wasm.ts), on float offsets: h (U floats) ← z·h + (1 − z)·act(hh)
   * through Up floats of `scratch`.
   */
  gruBlend(act: CellActivation): FusedUpdate {
    const blend = this.exports[gruBlendFunctionName(act)] as FusedUpdate;
    // eslint-disable-next-line @typescript-eslint/max-params -- FusedUpdate, hot path
    return (z, hh, h, U, Up, scratch) => blend(z * 4, hh * 4, h * 4, U, Up, scratch * 4);
  }
}
