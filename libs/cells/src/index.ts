export type {
  CellActivation,
  DenseHeadSpec,
  GruLayerSpec,
  HeadActivation,
  LayerType,
  LstmLayerSpec,
  ModelArchitecture,
  RecurrentLayerSpec,
  SimpleRnnLayerSpec,
  StateLayout,
  StateVector,
} from './architecture.js';
export { decodeModel, encodeModel } from './artefact.codec.js';
export { BatchStepper } from './batch.stepper.js';
export { ArtefactError, ModelFormatError, StepError } from './cells.error.js';
export type { InputNormalization } from './normalization.js';
export { RecurrentModel, type ModelConfig, type ModelDefinition } from './recurrent.model.js';
export { packKeyState, unpackKeyState } from './state.pack.js';
export { exportTfjsArtifacts, saveTfjsDirectory } from './tfjs.export.js';
export type { TfjsModelArtifacts, TfjsModelJson, TfjsWeightSpec } from './tfjs.format.js';
export { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, loadTfjsDirectory } from './tfjs.directory.js';
export { importTfjsArtifacts, type ImportOptions } from './tfjs.import.js';
export { weightSlotsOf } from './weights.js';
export type { WeightSlot, WeightTensor } from './weights.js';
export { traceGates, type LayerGates, type TracedStep } from './gate.trace.js';
