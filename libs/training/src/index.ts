export { EventBuffer, type EventBufferStats } from './event.buffer.js';
export { type EventSource } from './sequence.builder.js';
export { createTrainableModel, toArtefactBytes, toRecurrentModel } from './tfjs.model.js';
export { initTrainingBackend, type TrainingBackend } from './training.backend.js';
export { TrainingError } from './training.errors.js';
export {
  runAddingExperiment,
  type AddingCell,
  type AddingCellResult,
  type AddingExperimentOptions,
  type AddingExperimentResult,
  type AddingProgress,
} from './experiments/adding.experiment.js';
export { runTrainingRound, type RoundOptions, type RoundResult } from './training.round.js';
