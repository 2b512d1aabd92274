import { encodeModel, type ModelArchitecture } from '@rnnflow/cells';
import type { ModelRegistry } from '@rnnflow/registry';
import { createTrainableModel, toRecurrentModel } from '@rnnflow/training';

/** Shape of the demo's model. */
export interface InitialModelOptions {
  /** Registry model name. */
  readonly model: string;
  /** Features per event (the simulator's). */
  readonly inputSize: number;
  /** LSTM units of the single recurrent layer. */
  readonly units: number;
  /** Seed of the initial weights. */
  readonly seed: number;
}

/**
 * The architecture the trainer fine-tunes: one LSTM layer and a linear head forecasting one
 * feature, the same shape the trainer would build from scratch.
 */
function demoArchitecture(options: InitialModelOptions): ModelArchitecture {
  return {
    inputSize: options.inputSize,
    layers: [
      {
        type: 'lstm',
        units: options.units,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        useBias: true,
      },
    ],
    head: { units: 1, activation: 'linear', useBias: true },
  };
}

/**
 * Publishes and activates an untrained model: the training library's seeded initial weights
 * (Glorot kernels, orthogonal recurrent kernels, LSTM forget bias 1), so the first version
 * serves sensible but uninformed forecasts. Needs an initialised tfjs backend.
 * @returns the version published.
 */
export async function publishUntrainedModel(
  registry: ModelRegistry,
  options: InitialModelOptions,
): Promise<number> {
  const trainable = createTrainableModel({
    architecture: demoArchitecture(options),
    seed: options.seed,
  });
  try {
    const model = await toRecurrentModel(trainable);
    const info = await registry.publish(
      options.model,
      encodeModel(model),
      { source: 'import', fingerprint: model.fingerprint, note: 'untrained initial model' },
      { activate: true },
    );
    return info.version;
  } finally {
    trainable.network.dispose();
  }
}
