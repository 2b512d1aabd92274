import type { StateLayout } from './architecture.js';
import { StepError } from './cells.errors.js';

/**
 * The state vectors of key `index` in a packed batch `states` (`B × floatsPerKey`), in layout
 * order, as views of one copy of the key's floats (one allocation a key, not one a vector).
 */
export function unpackKeyState(
  layout: StateLayout,
  states: Float32Array,
  index: number,
): Float32Array[] {
  const base = index * layout.floatsPerKey;
  if (index < 0 || base + layout.floatsPerKey > states.length) {
    throw new StepError(
      'STEP_BUFFER_SIZE',
      `key ${index} is outside a states buffer of ${states.length} floats`,
    );
  }
  const copy = states.slice(base, base + layout.floatsPerKey);
  return layout.vectors.map((v) => copy.subarray(v.offset, v.offset + v.length));
}

/**
 * Writes the state vectors of one key (layout order and lengths) into slot `index` of the packed
 * batch `states`.
 */
export function packKeyState(
  layout: StateLayout,
  vectors: readonly Float32Array[],
  states: Float32Array,
  index: number,
): void {
  const base = index * layout.floatsPerKey;
  if (index < 0 || base + layout.floatsPerKey > states.length) {
    throw new StepError(
      'STEP_BUFFER_SIZE',
      `key ${index} is outside a states buffer of ${states.length} floats`,
    );
  }
  if (vectors.length !== layout.vectors.length) {
    throw new StepError(
      'STEP_BUFFER_SIZE',
      `expected ${layout.vectors.length} state vectors per key, got ${vectors.length}`,
    );
  }
  layout.vectors.forEach((v, i) => {
    if (vectors[i].length !== v.length) {
      throw new StepError(
        'STEP_BUFFER_SIZE',
        `state vector ${i} (layer ${v.layer} ${v.name}) must hold ${v.length} floats, got ${vectors[i].length}`,
      );
    }
    states.set(vectors[i], base + v.offset);
  });
}
