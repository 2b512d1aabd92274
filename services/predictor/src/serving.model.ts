import type { BatchStepper, RecurrentModel } from '@rnnflow/cells';
import type { StateStore } from '@rnnflow/state';
import type { StepModel } from './batch.compute.js';

/** The model version a predictor serves, with the stepper its batches run on and its states' store. */
export interface ServingModel extends StepModel {
  readonly name: string;
  readonly recurrent: RecurrentModel;
  /** Reads and writes states of this model's architecture (fingerprint and layout). */
  readonly store: StateStore;
}

/** Largest number of keys one stepper call advances; bigger waves are split. */
const STEPPER_MAX_BATCH = 1024;

export function servingModel(
  name: string,
  version: number,
  recurrent: RecurrentModel,
  store: StateStore,
): ServingModel {
  const stepper: BatchStepper = recurrent.createStepper(STEPPER_MAX_BATCH);
  return {
    name,
    version,
    recurrent,
    stepper,
    store,
    inputSize: recurrent.inputSize,
    outputSize: recurrent.outputSize,
    floatsPerKey: recurrent.stateLayout.floatsPerKey,
  };
}
