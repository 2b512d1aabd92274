/** Element-wise activations a recurrent layer may use (tfjs-layers definitions). */
export const CELL_ACTIVATIONS = ['tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear'] as const;
export type CellActivation = (typeof CELL_ACTIVATIONS)[number];

/** Activations of the Dense head; `softmax` normalises over the head's outputs of one key. */
export const HEAD_ACTIVATIONS = [...CELL_ACTIVATIONS, 'softmax'] as const;
export type HeadActivation = (typeof HEAD_ACTIVATIONS)[number];

/** Recurrent layer types this library can step. */
export const LAYER_TYPES = ['lstm', 'gru', 'simpleRnn'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

/**
 * LSTM layer, Keras/tfjs-layers semantics. Gates in weight columns order i, f, c, o.
 * Weights: `kernel [I × 4U]`, `recurrentKernel [U × 4U]`, `bias [4U]` (when `useBias`).
 * State: h then c, `U` floats each.
 */
export interface LstmLayerSpec {
  readonly type: 'lstm';
  /** U, number of units (1..4096). */
  readonly units: number;
  /** Applied to the cell candidate and to c before the output gate (Keras default tanh). */
  readonly activation: CellActivation;
  /** Applied to the i, f, o gates; tfjs defaults to hardSigmoid, Keras to sigmoid. */
  readonly recurrentActivation: CellActivation;
  readonly useBias: boolean;
}

/**
 * GRU layer. Gates in weight columns order z, r, h. `resetAfter: false` (tfjs-layers) applies the
 * reset gate to h before the recurrent matmul, bias `[3U]`; `resetAfter: true` (Keras 2/3 default)
 * applies it after, with separate input and recurrent biases, bias `[2, 3U]`. State: h, `U` floats.
 */
export interface GruLayerSpec {
  readonly type: 'gru';
  readonly units: number;
  readonly activation: CellActivation;
  readonly recurrentActivation: CellActivation;
  readonly resetAfter: boolean;
  readonly useBias: boolean;
}

/** Fully connected recurrent layer: h' = activation(x·W + h·R + b). State: h, `U` floats. */
export interface SimpleRnnLayerSpec {
  readonly type: 'simpleRnn';
  readonly units: number;
  readonly activation: CellActivation;
  readonly useBias: boolean;
}

export type RecurrentLayerSpec = LstmLayerSpec | GruLayerSpec | SimpleRnnLayerSpec;

/**
 * A layer of `type` with Keras's defaults, which rnnflow builds its own models with: tanh,
 * sigmoid gates (tfjs would default to hardSigmoid), a bias, and for GRU `resetAfter: false`
 * (the variant tfjs trains).
 */
export function kerasLayer(type: LayerType, units: number): RecurrentLayerSpec {
  const common = { units, activation: 'tanh', useBias: true } as const;
  switch (type) {
    case 'lstm':
      return { type, recurrentActivation: 'sigmoid', ...common };
    case 'gru':
      return { type, recurrentActivation: 'sigmoid', resetAfter: false, ...common };
    case 'simpleRnn':
      return { type, ...common };
  }
}

/** Dense layer applied to the top layer's h at every step: `kernel [U × O]`, `bias [O]`. */
export interface DenseHeadSpec {
  /** O, number of outputs. */
  readonly units: number;
  readonly activation: HeadActivation;
  readonly useBias: boolean;
}

/**
 * Everything needed to rebuild the computation (not the weights): input size, 1–4 stacked
 * recurrent layers (each layer's h feeds the next), and an optional Dense head. Without a
 * head the outputs are the top layer's h.
 */
export interface ModelArchitecture {
  /** I, features per input event. */
  readonly inputSize: number;
  readonly layers: readonly RecurrentLayerSpec[];
  readonly head: DenseHeadSpec | null;
}

/** One vector of a key's state, e.g. layer 0's `c`. */
export interface StateVector {
  readonly layer: number;
  readonly name: 'h' | 'c';
  /** Number of floats. */
  readonly length: number;
  /** Offset of this vector inside one key's packed state, in floats. */
  readonly offset: number;
}

/**
 * How one key's state is packed: the vectors of layer 0 (LSTM: h then c), then layer 1, …,
 * contiguous, `floatsPerKey` floats in all. A batch of states is `B × floatsPerKey` floats.
 */
export interface StateLayout {
  readonly vectors: readonly StateVector[];
  readonly floatsPerKey: number;
}

/** Names of the state vectors of one layer type, in tfjs-layers order. */
function stateNamesOf(type: LayerType): readonly ('h' | 'c')[] {
  return type === 'lstm' ? ['h', 'c'] : ['h'];
}

/** The packed per-key state layout implied by an architecture. */
export function stateLayoutOf(architecture: ModelArchitecture): StateLayout {
  const vectors: StateVector[] = [];
  let offset = 0;
  architecture.layers.forEach((layer, index) => {
    for (const name of stateNamesOf(layer.type)) {
      vectors.push({ layer: index, name, length: layer.units, offset });
      offset += layer.units;
    }
  });
  return { vectors, floatsPerKey: offset };
}

/** Number of outputs per key: the head's units, or the top layer's units without a head. */
export function outputSizeOf(architecture: ModelArchitecture): number {
  const top = architecture.layers[architecture.layers.length - 1];
  return architecture.head ? architecture.head.units : top.units;
}
