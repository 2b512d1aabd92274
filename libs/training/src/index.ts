export {
  EventBuffer,
  type BufferedEvent,
  type EventBufferOptions,
  type EventBufferStats,
} from './event.buffer.js';
export { splitHeldOut, type HeldOutOptions, type HeldOutSplit } from './heldout.split.js';
export { compareModels, decideChallenger, type ModelComparison } from './model.compare.js';
export { evaluate, evaluateRecurrentModel } from './model.evaluate.js';
export { fitNormalization } from './normalization.fit.js';
export {
  buildWindows,
  labelsOf,
  windowStarts,
  type EventSource,
  type WindowOptions,
} from './sequence.builder.js';
export {
  buildTfjsModel,
  createTrainableModel,
  toArtefactBytes,
  toRecurrentModel,
  toTfjsArtifacts,
  type TrainableModel,
  type TrainableModelSource,
} from './tfjs.model.js';
export {
  train,
  type EarlyStopping,
  type TrainData,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
} from './train.loop.js';
export { initTrainingBackend, type TrainingBackend } from './training.backend.js';
export { TrainingError } from './training.error.js';
export {
  allocateWindows,
  labeledStepCount,
  selectWindows,
  type WindowSet,
  type WindowShape,
} from './window.set.js';
export {
  ADDING_BASELINE_MSE,
  ADDING_INPUT_SIZE,
  generateAddingProblem,
  type AddingDataOptions,
} from './experiments/adding.data.js';
export {
  runAddingExperiment,
  type AddingCell,
  type AddingCellResult,
  type AddingExperimentOptions,
  type AddingExperimentResult,
  type AddingProgress,
} from './experiments/adding.experiment.js';
export { runTrainingRound, type RoundOptions, type RoundResult } from './training.round.js';
