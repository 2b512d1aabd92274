import type { ModelArchitecture, RecurrentLayerSpec } from './architecture.js';
import { ArtefactError } from './cells.errors.js';

/** A named float32 tensor, row-major. */
export interface WeightTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Name and shape of a weight an architecture needs. */
export interface WeightSlot {
  readonly name: string;
  readonly shape: readonly number[];
}

const GATES = { lstm: 4, gru: 3, simpleRnn: 1 } as const;

function biasShape(layer: RecurrentLayerSpec): number[] {
  const columns = GATES[layer.type] * layer.units;
  return layer.type === 'gru' && layer.resetAfter ? [2, columns] : [columns];
}

/**
 * The weights an architecture needs, in canonical order: per layer `layers/<n>/kernel`
 * `[in × G·U]`, `layers/<n>/recurrent_kernel` `[U × G·U]`, `layers/<n>/bias` (if useBias), then
 * `head/kernel` `[U × O]` and `head/bias` `[O]`.
 */
export function weightSlotsOf(architecture: ModelArchitecture): WeightSlot[] {
  const slots: WeightSlot[] = [];
  let inputs = architecture.inputSize;
  architecture.layers.forEach((layer, n) => {
    const columns = GATES[layer.type] * layer.units;
    slots.push({ name: `layers/${n}/kernel`, shape: [inputs, columns] });
    slots.push({ name: `layers/${n}/recurrent_kernel`, shape: [layer.units, columns] });
    if (layer.useBias) slots.push({ name: `layers/${n}/bias`, shape: biasShape(layer) });
    inputs = layer.units;
  });
  const head = architecture.head;
  if (head) {
    slots.push({ name: 'head/kernel', shape: [inputs, head.units] });
    if (head.useBias) slots.push({ name: 'head/bias', shape: [head.units] });
  }
  return slots;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Index of the first NaN or ±Infinity in `values`, or -1. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * Checks that `tensors` are exactly the weights `architecture` needs, with the right shapes and
 * finite values, and returns them by name.
 * @throws ArtefactError `ARTEFACT_SHAPE` (missing, extra or mis-shaped weight) or
 *   `ARTEFACT_NOT_FINITE` (NaN/Infinity in a weight).
 */
export function checkWeights(
  architecture: ModelArchitecture,
  tensors: readonly WeightTensor[],
): Map<string, Float32Array> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const slots = weightSlotsOf(architecture);
  const expected = new Set(slots.map((s) => s.name));
  const extra = tensors.filter((t) => !expected.has(t.name)).map((t) => t.name);
  if (extra.length > 0) {
    throw new ArtefactError(
      'ARTEFACT_SHAPE',
      `weights ${extra.join(', ')} are not used by the architecture (expected ${[...expected].join(', ')})`,
    );
  }
  const checked = new Map<string, Float32Array>();
  for (const slot of slots) {
    const tensor = byName.get(slot.name);
    if (!tensor) throw new ArtefactError('ARTEFACT_SHAPE', `weight ${slot.name} is missing`);
    const size = tensor.shape.reduce((a, b) => a * b, 1);
    if (!sameShape(tensor.shape, slot.shape) || tensor.values.length !== size) {
      throw new ArtefactError(
        'ARTEFACT_SHAPE',
        `weight ${slot.name} has shape [${tensor.shape.join(', ')}] (${tensor.values.length} values), expected [${slot.shape.join(', ')}]`,
      );
    }
    const bad = firstNonFinite(tensor.values);
    if (bad >= 0) {
      throw new ArtefactError(
        'ARTEFACT_NOT_FINITE',
        `weight ${slot.name} holds ${tensor.values[bad]} at flat index ${bad}; retrain or re-export the model`,
      );
    }
    checked.set(slot.name, tensor.values);
  }
  return checked;
}
