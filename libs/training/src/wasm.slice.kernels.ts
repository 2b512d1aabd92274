import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Kernel = tf.KernelConfig['kernelFunc'];
type SliceAttributes = { begin: number | number[]; size?: number | number[] };

/** Rows shorter than this are copied element by element: a subarray per row costs more. */
const SHORT_ROW = 16;

/**
 * Copies the slice `begin`/`size` of `source` (row-major, `shape`) into `target`. The trailing
 * dimensions the slice covers whole are merged into one contiguous row, so a slice along the
 * first axis is a single copy.
 */
function copySlice(
  source: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  target: tf.TypedArray,
): void {
  let rowDims = shape.length - 1;
  let rowLength = size[rowDims] ?? 1;
  while (rowDims > 0 && begin[rowDims] === 0 && size[rowDims] === shape[rowDims]) {
    rowDims -= 1;
    rowLength *= size[rowDims];
  }
  const strides = tf.util.computeStrides([...shape]);
  const index = new Array<number>(rowDims).fill(0);
  const rowStride = rowDims < shape.length - 1 ? strides[rowDims] : 1;
  for (let written = 0; written < target.length; written += rowLength) {
    let from = begin[rowDims] * rowStride;
    for (let d = 0; d < rowDims; d++) from += (begin[d] + index[d]) * strides[d];
    if (rowLength < SHORT_ROW) {
      for (let i = 0; i < rowLength; i++) target[written + i] = source[from + i];
    } else {
      target.set(source.subarray(from, from + rowLength), written);
    }
    for (let d = rowDims - 1; d >= 0 && ++index[d] === size[d]; d--) index[d] = 0;
  }
}

/**
 * Allocates the output first: an allocation may grow the WebAssembly memory, which detaches
 * every view taken before it.
 */
function sliceOnHeap(
  backend: BackendWasm,
  x: tf.TensorInfo,
  begin: readonly number[],
  size: readonly number[],
  outShape: readonly number[] = size,
): tf.TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  copySlice(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return { dataId: out.dataId, dtype: out.dtype, shape: [...outShape] };
}

function input(args: Parameters<Kernel>[0], name: string): tf.TensorInfo {
  const tensor = args.inputs[name];
  if (!tensor) throw new TypeError(`kernel input ${name} is missing`);
  return tensor;
}

const isNumeric = (dtype: tf.DataType) => dtype !== 'string' && dtype !== 'complex64';

function sliceKernel(original: Kernel): Kernel {
  return (args) => {
    const x = input(args, 'x');
    if (!isNumeric(x.dtype) || x.shape.length === 0) return original(args);
    const attributes = args.attrs as unknown as SliceAttributes;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as tf.Tensor,
      attributes.begin,
      attributes.size,
    );
    return sliceOnHeap(args.backend as BackendWasm, x, begin, size);
  };
}

function unpackKernel(original: Kernel): Kernel {
  return (args) => {
    const value = input(args, 'value');
    if (!isNumeric(value.dtype)) return original(args);
    const rank = value.shape.length;
    const axis = ((args.attrs as { axis: number }).axis + rank) % rank;
    const size = value.shape.map((extent, d) => (d === axis ? 1 : extent));
    const outShape = value.shape.filter((_, d) => d !== axis);
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = value.shape.map((_, d) => (d === axis ? i : 0));
      return sliceOnHeap(args.backend as BackendWasm, value, begin, size, outShape);
    });
  };
}

function splitKernel(original: Kernel): Kernel {
  return (args) => {
    const x = input(args, 'x');
    if (!isNumeric(x.dtype)) return original(args);
    const attributes = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const axis = tf.util.parseAxisParam(attributes.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(
      x as tf.Tensor,
      attributes.numOrSizeSplits,
      axis,
    );
    const begin = x.shape.map(() => 0);
    return sizes.map((extent) => {
      const size = x.shape.map((whole, d) => (d === axis ? extent : whole));
      const part = sliceOnHeap(args.backend as BackendWasm, x, begin, size);
      begin[axis] += extent;
      return part;
    });
  };
}

function replaceKernel(name: string, make: (original: Kernel) => Kernel): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
}

let replaced = false;

/**
 * tfjs-backend-wasm 4.22's Slice kernel reads its input with `readSync`, a copy of the whole
 * tensor, for every slice, and its Unpack and SplitV slice once per output: unstacking a [T, B, F] tensor
 * copies it T times. tfjs-layers' RNN unstacks its input over time and BPTT unstacks the
 * gradient, so training cost grew with T²: at T = 100 these copies were 44 % of the adding
 * experiment's CPU time. These kernels read through a view of the WebAssembly heap instead.
 */
export function replaceWasmSliceKernels(): void {
  if (replaced) return;
  replaced = true;
  replaceKernel('Slice', sliceKernel);
  replaceKernel('Unpack', unpackKernel);
  replaceKernel('SplitV', splitKernel);
}
