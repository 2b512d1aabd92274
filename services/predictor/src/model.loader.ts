import { decodeModel, type RecurrentModel } from '@rnnflow/cells';
import { ModelRejectedError } from './predictor.errors.js';
import type { ModelRegistry } from '@rnnflow/registry';
import type { StateStore } from '@rnnflow/state';
import { servingModel, type ServingModel } from './serving.model.js';

/**
 * Loads a version from the registry and proves it can serve: the artefact decodes and validates
 * (shapes, checksum, finite weights), a smoke step from zero state gives finite outputs, and,
 * when `inputSize` is given, it takes the same features as the version it replaces.
 */
export async function loadServingModel(
  registry: ModelRegistry,
  name: string,
  version: number,
  storeFor: (model: RecurrentModel) => StateStore,
  inputSize?: number,
): Promise<ServingModel> {
  const bytes = await registry.artefact(name, version);
  let recurrent: RecurrentModel;
  try {
    recurrent = decodeModel(bytes);
  } catch (error) {
    throw new ModelRejectedError(name, version, (error as Error).message, error);
  }
  if (inputSize !== undefined && recurrent.inputSize !== inputSize) {
    throw new ModelRejectedError(
      name,
      version,
      `it takes ${recurrent.inputSize} features, the events carry ${inputSize}`,
    );
  }
  smokeStep(recurrent, name, version);
  return servingModel(name, version, recurrent, storeFor(recurrent));
}

function smokeStep(model: RecurrentModel, name: string, version: number): void {
  const stepper = model.createStepper(1);
  const outputs = new Float32Array(model.outputSize);
  stepper.step(new Float32Array(model.inputSize), model.createStates(1), 1, outputs);
  if (!outputs.every(Number.isFinite)) {
    throw new ModelRejectedError(name, version, 'a step from zero state gives non-finite outputs');
  }
}
