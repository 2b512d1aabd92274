import {
  outputSizeOf,
  stateLayoutOf,
  type ModelArchitecture,
  type RecurrentLayerSpec,
  type StateLayout,
} from './architecture.js';
import { parseArchitecture } from './architecture.parse.js';
import { BatchStepper, type StepPlan } from './batch.stepper.js';
import type { LayerWeights, RecurrentCell } from './cell.js';
import { ArtefactError } from './cells.errors.js';
import { DenseHead } from './dense.head.js';
import { architectureFingerprint } from './fingerprint.js';
import { GruCell } from './gru.cell.js';
import { LstmCell } from './lstm.cell.js';
import { checkNormalization, type InputNormalization } from './normalization.js';
import { SimpleRnnCell } from './simple-rnn.cell.js';
import { checkWeights, weightSlotsOf, type WeightTensor } from './weights.js';

/** Everything a model is made of; what artefacts and the tfjs importer produce. */
export interface ModelDefinition {
  readonly architecture: ModelArchitecture;
  /** Exactly the weights of `weightSlotsOf(architecture)`, any order. */
  readonly weights: readonly WeightTensor[];
  /** Optional per-feature input normalization. */
  readonly normalization?: InputNormalization | null;
  /** One name per output; defaults to `output_0`, `output_1`, …. */
  readonly outputNames?: readonly string[];
  /** Free JSON-serializable metadata (training run, data window, …). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** JSON description of a model without its weights, enough to rebuild it in tfjs. */
export interface ModelConfig {
  readonly architecture: ModelArchitecture;
  readonly normalization: { readonly mean: number[]; readonly std: number[] } | null;
  readonly outputNames: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly fingerprint: string;
  readonly stateLayout: StateLayout;
  readonly weightSlots: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

function createCell(
  spec: RecurrentLayerSpec,
  inputSize: number,
  weights: LayerWeights,
): RecurrentCell {
  switch (spec.type) {
    case 'lstm':
      return new LstmCell(spec, inputSize, weights);
    case 'gru':
      return new GruCell(spec, inputSize, weights);
    case 'simpleRnn':
      return new SimpleRnnCell(spec, inputSize, weights);
  }
}

/**
 * A validated stack of 1–4 recurrent layers with an optional Dense head and input
 * normalization, stepped for batches of keys through {@link RecurrentModel.createStepper}.
 * Immutable once created.
 */
export class RecurrentModel {
  readonly architecture: ModelArchitecture;
  readonly weights: readonly WeightTensor[];
  readonly normalization: InputNormalization | null;
  readonly outputNames: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** SHA-256 hex of the state-deciding architecture; see architectureFingerprint. */
  readonly fingerprint: string;
  /** How one key's state is packed; `stateLayout.floatsPerKey` floats per key. */
  readonly stateLayout: StateLayout;
  /** I, features per input event. */
  readonly inputSize: number;
  /** O, outputs per key and step. */
  readonly outputSize: number;
  private readonly plan: StepPlan;

  private constructor(definition: ModelDefinition) {
    this.architecture = parseArchitecture(definition.architecture);
    const weights = checkWeights(this.architecture, definition.weights);
    this.weights = weightSlotsOf(this.architecture).map((slot) => ({
      ...slot,
      values: weights.get(slot.name)!,
    }));
    this.inputSize = this.architecture.inputSize;
    this.outputSize = outputSizeOf(this.architecture);
    this.normalization = definition.normalization ?? null;
    if (this.normalization) checkNormalization(this.normalization, this.inputSize);
    this.outputNames = definition.outputNames ?? defaultOutputNames(this.outputSize);
    if (this.outputNames.length !== this.outputSize) {
      throw new ArtefactError(
        'ARTEFACT_INVALID',
        `${this.outputNames.length} output names for ${this.outputSize} outputs`,
      );
    }
    this.metadata = definition.metadata ?? {};
    this.fingerprint = architectureFingerprint(this.architecture);
    this.stateLayout = stateLayoutOf(this.architecture);
    this.plan = this.buildPlan(weights);
  }

  /**
   * Validates a definition and builds the model.
   * @throws ArtefactError naming the problem (shapes, non-finite values, unknown layer or
   *   activation, bad normalization or output names).
   */
  static create(definition: ModelDefinition): RecurrentModel {
    return new RecurrentModel(definition);
  }

  /** A stepper for batches of up to `maxBatch` keys, with its own preallocated workspaces. */
  createStepper(maxBatch: number): BatchStepper {
    return new BatchStepper(this.plan, maxBatch);
  }

  /** Zeroed states (the initial state of a new key) for `batchSize` keys. */
  createStates(batchSize: number): Float32Array {
    return new Float32Array(batchSize * this.stateLayout.floatsPerKey);
  }

  /** Every hyperparameter, the state layout and the weight shapes, as plain JSON. */
  getConfig(): ModelConfig {
    return {
      architecture: this.architecture,
      normalization: this.normalization && {
        mean: Array.from(this.normalization.mean),
        std: Array.from(this.normalization.std),
      },
      outputNames: [...this.outputNames],
      metadata: this.metadata,
      fingerprint: this.fingerprint,
      stateLayout: this.stateLayout,
      weightSlots: weightSlotsOf(this.architecture),
    };
  }

  private buildPlan(weights: Map<string, Float32Array>): StepPlan {
    const { layers, head } = this.architecture;
    let inputs = this.inputSize;
    const cells = layers.map((spec, n) => {
      const cell = createCell(spec, inputs, {
        kernel: weights.get(`layers/${n}/kernel`)!,
        recurrentKernel: weights.get(`layers/${n}/recurrent_kernel`)!,
        bias: weights.get(`layers/${n}/bias`) ?? null,
      });
      inputs = spec.units;
      return cell;
    });
    const top = layers.length - 1;
    return {
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      floatsPerKey: this.stateLayout.floatsPerKey,
      cells,
      hOffsets: layers.map((_, n) => this.stateLayout.vectors.find((v) => v.layer === n)!.offset),
      head:
        head &&
        new DenseHead(head, layers[top].units, {
          kernel: weights.get('head/kernel')!,
          bias: weights.get('head/bias') ?? null,
        }),
      normalization: this.normalization,
    };
  }
}

function defaultOutputNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `output_${i}`);
}
