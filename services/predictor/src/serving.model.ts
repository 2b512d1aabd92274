import type { BatchStepper, RecurrentModel } from '@rnnflow/cells';
import type { StepModel } from './batch.compute.js';

/** The model version a predictor serves, with the stepper its batches run on. */
export interface ServingModel extends StepModel {
  readonly name: string;
  readonly version: number;
  readonly recurrent: RecurrentModel;
}

/** Largest number of keys one stepper call advances; bigger waves are split. */
export const STEPPER_MAX_BATCH = 1024;

export function servingModel(
  name: string,
  version: number,
  recurrent: RecurrentModel,
): ServingModel {
  const stepper: BatchStepper = recurrent.createStepper(STEPPER_MAX_BATCH);
  return {
    name,
    version,
    recurrent,
    stepper,
    inputSize: recurrent.inputSize,
    outputSize: recurrent.outputSize,
    floatsPerKey: recurrent.stateLayout.floatsPerKey,
  };
}
