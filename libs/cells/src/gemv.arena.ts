import { GEMV_WASM } from './gemv.wasm.js';
import type { PackedMatrix } from './packed.matrix.js';

type Gemv = (w: number, bias: number, K: number, Gp: number, input: number, out: number) => void;

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
  compiled ??= new wasm.Module(GEMV_WASM);
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
 * creation, then `gemv` calls with no allocation. Regions are float offsets into {@link heap};
 * read `heap` again after allocating (growing the memory replaces the view).
 */
export class GemvArena {
  private readonly memory = new wasm.Memory({ initial: 1 });
  private readonly gemvFn: Gemv;
  private used = 0;
  /** Float32 view of the whole memory. */
  heap: Float32Array;

  constructor() {
    const instance = new wasm.Instance(gemvModule(), { env: { memory: this.memory } });
    this.gemvFn = instance.exports.gemv as Gemv;
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
}
