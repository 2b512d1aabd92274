import { GEMV_BLOCK } from './gemv.wasm.js';

/** A row-major matrix given as its values and dimensions. */
export interface MatrixView {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Weights and bias of one affine map `out = bias + [x; h]·W`, packed for the gemv kernel:
 * `K` inputs, `G` outputs padded with zero columns to `Gp`, a multiple of 16, in blocks of 16
 * columns (block b: for each k, the 16 floats W[k][16b…16b+15]).
 */
export interface PackedMatrix {
  readonly values: Float32Array;
  readonly bias: Float32Array;
  /** Rows from the kernel (multiplying x) and from the recurrent kernel (multiplying h). */
  readonly K1: number;
  readonly K2: number;
  readonly K: number;
  readonly G: number;
  readonly Gp: number;
}

/** Marks an output slot that stays zero (padding). */
const PAD = -1;

/**
 * Packs, for each output slot r, column `columns[r]` of `kernel` (`[I × C]`, may be null)
 * stacked over the same column of `recurrent` (`[U × C]`, may be null), so the result
 * multiplies the concatenation [x; h]; its bias is `bias[columns[r]]`. Slots marked PAD are
 * zero columns.
 */
export function packMatrix(
  columns: readonly number[],
  bias: Float32Array,
  kernel: MatrixView | null,
  recurrent: MatrixView | null,
): PackedMatrix {
  const parts = [kernel, recurrent].filter((m): m is MatrixView => m !== null);
  const K = parts.reduce((n, m) => n + m.rows, 0);
  const G = columns.length;
  const Gp = Math.ceil(G / GEMV_BLOCK) * GEMV_BLOCK;
  const values = new Float32Array(Gp * K);
  const padded = new Float32Array(Gp);
  columns.forEach((column, r) => {
    if (column === PAD) return;
    padded[r] = bias[column];
    const base = Math.floor(r / GEMV_BLOCK) * K * GEMV_BLOCK + (r % GEMV_BLOCK);
    let k = 0;
    for (const part of parts) {
      for (let row = 0; row < part.rows; row++, k++) {
        values[base + k * GEMV_BLOCK] = part.values[row * part.cols + column];
      }
    }
  });
  return { values, bias: padded, K1: kernel?.rows ?? 0, K2: recurrent?.rows ?? 0, K, G, Gp };
}

/** U rounded up to a multiple of 4: each gate starts on a SIMD vector boundary. */
export function paddedUnits(units: number): number {
  return Math.ceil(units / 4) * 4;
}

/**
 * Output slots for the listed gates of a layer whose weights hold gates of `units` columns
 * each: gate after gate, each padded to {@link paddedUnits} slots.
 */
export function gateColumns(gates: readonly number[], units: number): number[] {
  const Up = paddedUnits(units);
  return gates.flatMap((gate) =>
    Array.from({ length: Up }, (_, j) => (j < units ? gate * units + j : PAD)),
  );
}

/** [start, start + 1, …, end - 1]. */
export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}
