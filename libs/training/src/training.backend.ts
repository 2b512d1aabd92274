import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { replaceWasmSliceKernels } from './wasm.slice.kernels.js';

/** The backend training runs on. */
export interface TrainingBackend {
  /** `tensorflow`: native libtensorflow (tfjs-node[-gpu]); `wasm`: XNNPACK in WebAssembly; `cpu`: plain JS. */
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  /** True when the CUDA build (tfjs-node-gpu) was loaded; it still falls back to CPU without a GPU. */
  readonly gpu: boolean;
  /** Why faster backends were not used, for the caller's log. */
  readonly skipped: readonly string[];
}

/** Optional native bindings, fastest first; they are optionalDependencies that may be absent. */
const NATIVE_PACKAGES = [
  { specifier: '@tensorflow/tfjs-node-gpu', gpu: true },
  { specifier: '@tensorflow/tfjs-node', gpu: false },
] as const;

function reason(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

async function tryNative(skipped: string[]): Promise<TrainingBackend | null> {
  for (const { specifier, gpu } of NATIVE_PACKAGES) {
    try {
      // A variable specifier: the package is optional and has no types when absent.
      await import(specifier as string);
      if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', gpu, skipped };
      skipped.push(`${specifier}: loaded but the tensorflow backend did not initialize`);
    } catch (error) {
      skipped.push(`${specifier}: ${reason(error)}`);
    }
  }
  return null;
}

async function tryWasm(skipped: string[]): Promise<TrainingBackend | null> {
  try {
    // In Node the .wasm binaries must be read from disk, next to the package's entry point.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(path.dirname(entry) + path.sep);
    if (await tf.setBackend('wasm')) {
      replaceWasmSliceKernels();
      return { name: 'wasm', gpu: false, skipped };
    }
    skipped.push('wasm: the backend did not initialize');
  } catch (error) {
    skipped.push(`wasm: ${reason(error)}`);
  }
  return null;
}

let selected: Promise<TrainingBackend> | null = null;

/**
 * Selects the fastest available tfjs backend once per process: native TensorFlow
 * (tfjs-node-gpu, then tfjs-node) when installed, else WebAssembly, else plain JS. Later calls
 * return the same choice. The caller logs it.
 */
export function initTrainingBackend(): Promise<TrainingBackend> {
  selected ??= (async () => {
    const skipped: string[] = [];
    const backend = (await tryNative(skipped)) ?? (await tryWasm(skipped));
    if (backend) return backend;
    await tf.setBackend('cpu');
    return { name: 'cpu', gpu: false, skipped };
  })();
  return selected;
}
