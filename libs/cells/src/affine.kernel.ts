/**
 * Affine maps `out = bias + W·in` for up to three keys at a time, the only matmul of the hot path.
 *
 * `w` holds the weights transposed, `G` rows of `K` floats (row j = what multiplies the input to
 * give output j), so each output is a dot product over a contiguous row, accumulated in a
 * register. Several outputs of several keys are computed together so each loaded weight serves
 * every key of the block and each loaded input several rows: a 3-key × 4-row block keeps 12
 * accumulators plus 4 operands within the 16 floating-point registers of x86-64.
 *
 * Every output of every key is summed in the same order (bias, then k = 0..K-1, in double
 * precision) whichever function computes it, so stepping keys in blocks of 3, 2 or alone gives
 * bit-identical results.
 *
 * Key m of a block reads `input[i + m·is …]` and writes `out[o + m·os …]`.
 */

/** Maximum keys per block. */
export const BLOCK_KEYS = 3;

/** `out[o + j] = bias[j] + Σ_k input[i + k] · w[j·K + k]` for j in [0, G), for `n` ≤ 3 keys. */
export function affine(
  w: Float32Array,
  bias: Float32Array,
  K: number,
  G: number,
  n: number,
  input: Float32Array,
  i: number,
  is: number,
  out: Float32Array,
  o: number,
  os: number,
): void {
  if (n === 3) affine3(w, bias, K, G, input, i, is, out, o, os);
  else if (n === 2) affine2(w, bias, K, G, input, i, is, out, o, os);
  else affine1(w, bias, K, G, input, i, out, o);
}

function affine1(
  w: Float32Array,
  bias: Float32Array,
  K: number,
  G: number,
  input: Float32Array,
  i: number,
  out: Float32Array,
  o: number,
): void {
  const G4 = G - (G % 4);
  let j = 0;
  for (; j < G4; j += 4) {
    let s0 = bias[j];
    let s1 = bias[j + 1];
    let s2 = bias[j + 2];
    let s3 = bias[j + 3];
    const r0 = j * K;
    const r1 = r0 + K;
    const r2 = r1 + K;
    const r3 = r2 + K;
    for (let k = 0; k < K; k++) {
      const v = input[i + k];
      s0 += v * w[r0 + k];
      s1 += v * w[r1 + k];
      s2 += v * w[r2 + k];
      s3 += v * w[r3 + k];
    }
    out[o + j] = s0;
    out[o + j + 1] = s1;
    out[o + j + 2] = s2;
    out[o + j + 3] = s3;
  }
  for (; j < G; j++) {
    let s = bias[j];
    const r = j * K;
    for (let k = 0; k < K; k++) s += input[i + k] * w[r + k];
    out[o + j] = s;
  }
}

function affine2(
  w: Float32Array,
  bias: Float32Array,
  K: number,
  G: number,
  input: Float32Array,
  ia: number,
  is: number,
  out: Float32Array,
  oa: number,
  os: number,
): void {
  const ib = ia + is;
  const ob = oa + os;
  const G4 = G - (G % 4);
  let j = 0;
  for (; j < G4; j += 4) {
    let a0 = bias[j];
    let a1 = bias[j + 1];
    let a2 = bias[j + 2];
    let a3 = bias[j + 3];
    let b0 = a0;
    let b1 = a1;
    let b2 = a2;
    let b3 = a3;
    const r0 = j * K;
    const r1 = r0 + K;
    const r2 = r1 + K;
    const r3 = r2 + K;
    for (let k = 0; k < K; k++) {
      const va = input[ia + k];
      const vb = input[ib + k];
      let x = w[r0 + k];
      a0 += va * x;
      b0 += vb * x;
      x = w[r1 + k];
      a1 += va * x;
      b1 += vb * x;
      x = w[r2 + k];
      a2 += va * x;
      b2 += vb * x;
      x = w[r3 + k];
      a3 += va * x;
      b3 += vb * x;
    }
    out[oa + j] = a0;
    out[oa + j + 1] = a1;
    out[oa + j + 2] = a2;
    out[oa + j + 3] = a3;
    out[ob + j] = b0;
    out[ob + j + 1] = b1;
    out[ob + j + 2] = b2;
    out[ob + j + 3] = b3;
  }
  for (; j < G; j++) {
    let sa = bias[j];
    let sb = sa;
    const r = j * K;
    for (let k = 0; k < K; k++) {
      const x = w[r + k];
      sa += input[ia + k] * x;
      sb += input[ib + k] * x;
    }
    out[oa + j] = sa;
    out[ob + j] = sb;
  }
}

function affine3(
  w: Float32Array,
  bias: Float32Array,
  K: number,
  G: number,
  input: Float32Array,
  ia: number,
  is: number,
  out: Float32Array,
  oa: number,
  os: number,
): void {
  const ib = ia + is;
  const ic = ib + is;
  const ob = oa + os;
  const oc = ob + os;
  const G4 = G - (G % 4);
  let j = 0;
  for (; j < G4; j += 4) {
    let a0 = bias[j];
    let a1 = bias[j + 1];
    let a2 = bias[j + 2];
    let a3 = bias[j + 3];
    let b0 = a0;
    let b1 = a1;
    let b2 = a2;
    let b3 = a3;
    let c0 = a0;
    let c1 = a1;
    let c2 = a2;
    let c3 = a3;
    const r0 = j * K;
    const r1 = r0 + K;
    const r2 = r1 + K;
    const r3 = r2 + K;
    for (let k = 0; k < K; k++) {
      const va = input[ia + k];
      const vb = input[ib + k];
      const vc = input[ic + k];
      let x = w[r0 + k];
      a0 += va * x;
      b0 += vb * x;
      c0 += vc * x;
      x = w[r1 + k];
      a1 += va * x;
      b1 += vb * x;
      c1 += vc * x;
      x = w[r2 + k];
      a2 += va * x;
      b2 += vb * x;
      c2 += vc * x;
      x = w[r3 + k];
      a3 += va * x;
      b3 += vb * x;
      c3 += vc * x;
    }
    out[oa + j] = a0;
    out[oa + j + 1] = a1;
    out[oa + j + 2] = a2;
    out[oa + j + 3] = a3;
    out[ob + j] = b0;
    out[ob + j + 1] = b1;
    out[ob + j + 2] = b2;
    out[ob + j + 3] = b3;
    out[oc + j] = c0;
    out[oc + j + 1] = c1;
    out[oc + j + 2] = c2;
    out[oc + j + 3] = c3;
  }
  for (; j < G; j++) {
    let sa = bias[j];
    let sb = sa;
    let sc = sa;
    const r = j * K;
    for (let k = 0; k < K; k++) {
      const x = w[r + k];
      sa += input[ia + k] * x;
      sb += input[ib + k] * x;
      sc += input[ic + k] * x;
    }
    out[oa + j] = sa;
    out[ob + j] = sb;
    out[oc + j] = sc;
  }
}

/**
 * Packs Keras-layout weights into the transposed rows {@link affine1} reads: row `r` of the
 * result is column `columns[r]` of `kernel` (`[I × C]`, may be null) followed by the same
 * column of `recurrent` (`[U × C]`, may be null), so one row multiplies the concatenation [x; h].
 */
export function packRows(
  columns: readonly number[],
  kernel: { values: Float32Array; rows: number; cols: number } | null,
  recurrent: { values: Float32Array; rows: number; cols: number } | null,
): Float32Array {
  const kRows = kernel ? kernel.rows : 0;
  const rRows = recurrent ? recurrent.rows : 0;
  const K = kRows + rRows;
  const packed = new Float32Array(columns.length * K);
  columns.forEach((column, r) => {
    for (let k = 0; k < kRows; k++) packed[r * K + k] = kernel!.values[k * kernel!.cols + column];
    for (let k = 0; k < rRows; k++) {
      packed[r * K + kRows + k] = recurrent!.values[k * recurrent!.cols + column];
    }
  });
  return packed;
}

/** [start, start + 1, …, end - 1]. */
export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}
