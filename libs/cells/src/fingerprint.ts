import { createHash } from 'node:crypto';
import type { ModelArchitecture } from './architecture.js';

/**
 * SHA-256 (hex) of what decides the shape and meaning of a key's state: input size, and per
 * layer its type, units, activations and variant, in stack order. Weights, bias flags, the head
 * and normalization are left out: two models with the same fingerprint can take over each
 * other's states (e.g. a retrained model hot-swapped over live keys).
 */
export function architectureFingerprint(architecture: ModelArchitecture): string {
  const layers = architecture.layers.map((layer) => {
    switch (layer.type) {
      case 'lstm':
        return [layer.type, layer.units, layer.activation, layer.recurrentActivation];
      case 'gru':
        return [
          layer.type,
          layer.units,
          layer.activation,
          layer.recurrentActivation,
          layer.resetAfter ? 'resetAfter' : 'resetBefore',
        ];
      case 'simpleRnn':
        return [layer.type, layer.units, layer.activation];
    }
  });
  // Arrays in a fixed order are the canonical form: no key-order ambiguity.
  const canonical = JSON.stringify(['rnnflow-state/1', architecture.inputSize, layers]);
  return createHash('sha256').update(canonical).digest('hex');
}
