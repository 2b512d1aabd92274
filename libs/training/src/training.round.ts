import { encodeModel, type ModelArchitecture, type RecurrentModel } from '@rnnflow/cells';
import { splitHeldOut, type HeldOutOptions } from './heldout.split.js';
import { compareModels, type ModelComparison } from './model.compare.js';
import { fitNormalization } from './normalization.fit.js';
import { buildWindows, type EventSource, type WindowOptions } from './sequence.builder.js';
import { createTrainableModel, toRecurrentModel } from './tfjs.model.js';
import { train, type TrainOptions, type TrainResult } from './train.loop.js';
import { TrainingError } from './training.errors.js';

/** Settings of one champion/challenger round. */
export interface RoundOptions {
  /** Used when training from scratch (no champion, or `fineTune: false`). */
  readonly architecture: ModelArchitecture;
  /** Start from the champion's weights and normalization when there is one (default true). */
  readonly fineTune?: boolean;
  /** Windowing; I and O come from the model. */
  readonly windows: Omit<WindowOptions, 'inputSize' | 'outputSize'>;
  /** Applied twice: held-out windows for the comparison, then validation windows for training. */
  readonly heldOut: HeldOutOptions;
  readonly training: TrainOptions;
  /** Relative loss improvement required to accept the challenger, e.g. 0.02. */
  readonly margin: number;
  /** Fewer training windows than this: no round (`TRAINING_NO_DATA`). Default 1. */
  readonly minTrainingWindows?: number;
  /** Stored in the challenger (e.g. round id, data window). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface RoundResult {
  /** The trained model, as the predictor would serve it. */
  readonly challenger: RecurrentModel;
  /** `challenger` as artefact bytes, ready to publish. */
  readonly artefact: Uint8Array;
  readonly comparison: ModelComparison;
  readonly training: TrainResult;
  readonly startedFrom: 'champion' | 'scratch';
  readonly windows: {
    readonly train: number;
    readonly validation: number;
    readonly heldOut: number;
  };
}

function outputSizeOf(architecture: ModelArchitecture): number {
  return architecture.head?.units ?? architecture.layers[architecture.layers.length - 1].units;
}

/**
 * One round, minus Kafka and Redis: windows from the buffered events, a held-out slice for the
 * comparison and a validation slice for early stopping (so the comparison data never chose the
 * challenger's weights), a challenger trained from the champion (fine-tune) or from scratch, and
 * the comparison on held-out data with the predictor's own stepper. The caller publishes
 * `artefact` and activates it only when `comparison.accept`.
 * @throws TrainingError `TRAINING_NO_DATA` when there are too few windows, and the errors of
 *   {@link train}.
 */
export async function runTrainingRound(
  source: EventSource,
  champion: RecurrentModel | null,
  options: RoundOptions,
): Promise<RoundResult> {
  const fineTune = champion !== null && options.fineTune !== false;
  const architecture = fineTune ? champion.architecture : options.architecture;
  const all = buildWindows(source, {
    ...options.windows,
    inputSize: architecture.inputSize,
    outputSize: outputSizeOf(architecture),
  });
  const { train: rest, heldOut } = splitHeldOut(all, options.heldOut);
  const { train: trainSet, heldOut: validation } = splitHeldOut(rest, options.heldOut);
  const minimum = options.minTrainingWindows ?? 1;
  if (trainSet.count < minimum || heldOut.count === 0) {
    throw new TrainingError(
      'TRAINING_NO_DATA',
      `${trainSet.count} training and ${heldOut.count} held-out windows; a round needs at least ${minimum} and 1 (buffer more events per key)`,
    );
  }
  const model = fineTune
    ? createTrainableModel({ from: champion })
    : createTrainableModel({
        architecture,
        seed: options.training.seed,
        normalization: fitNormalization(trainSet),
      });
  try {
    const withValidation = validation.count > 0;
    const training = await train(
      model,
      withValidation ? { train: trainSet, validation } : { train: trainSet },
      withValidation ? options.training : { ...options.training, earlyStopping: undefined },
    );
    const challenger = await toRecurrentModel(model, {
      // Keep the champion's output names when the outputs still mean the same thing.
      outputNames:
        champion && champion.outputSize === outputSizeOf(architecture)
          ? champion.outputNames
          : undefined,
      metadata: { ...options.metadata, startedFrom: fineTune ? 'champion' : 'scratch' },
    });
    return {
      challenger,
      artefact: encodeModel(challenger),
      comparison: compareModels(champion, challenger, heldOut, { margin: options.margin }),
      training,
      startedFrom: fineTune ? 'champion' : 'scratch',
      windows: { train: trainSet.count, validation: validation.count, heldOut: heldOut.count },
    };
  } finally {
    model.network.dispose();
  }
}
