import {
  kerasLayer,
  type ModelArchitecture,
  type RecurrentLayerSpec,
  type RecurrentModel,
} from '@rnnflow/cells';
import { createTrainableModel, toRecurrentModel } from '../tfjs.model.js';
import { train } from '../train.loop.js';
import { initTrainingBackend, type TrainingBackend } from '../training.backend.js';
import { requireInteger } from '../training.errors.js';
import { ADDING_BASELINE_MSE, ADDING_INPUT_SIZE, generateAddingProblem } from './adding.data.js';

/** Cell types compared; `rnn` is SimpleRNN. */
export type AddingCell = 'lstm' | 'gru' | 'rnn';

const ADDING_CELLS: readonly AddingCell[] = ['lstm', 'gru', 'rnn'];

/** The experiment's validation MSE after `step` optimizer steps of one cell. */
export interface AddingProgress {
  readonly cell: AddingCell;
  readonly step: number;
  readonly totalSteps: number;
  readonly validationMse: number;
  readonly trainMse: number;
  readonly elapsedSeconds: number;
}

export interface AddingExperimentOptions {
  /** T, steps per sequence; default 30. */
  readonly seqLen?: number;
  /** Default all three. */
  readonly cells?: readonly AddingCell[];
  /** Units of the single recurrent layer; default 32. */
  readonly units?: number;
  /** Optimizer steps per cell, each on a fresh batch; default 1500. */
  readonly steps?: number;
  /** Default 64. */
  readonly batchSize?: number;
  /** Adam learning rate; default 0.005. */
  readonly learningRate?: number;
  /** Global gradient norm clip; default 1. */
  readonly clipNorm?: number;
  /** Steps between validation evaluations; default 50. */
  readonly evalEvery?: number;
  /** Validation sequences; default 1000. */
  readonly validationSize?: number;
  /** MSE a cell must reach to count as solving the task; default 0.05. */
  readonly threshold?: number;
  readonly seed: number;
  readonly onProgress?: (progress: AddingProgress) => void;
}

/** One cell's run. */
export interface AddingCellResult {
  readonly cell: AddingCell;
  /** Validation MSE after each `evalEvery` steps (and after the last). */
  readonly curve: readonly { readonly step: number; readonly mse: number }[];
  readonly finalMse: number;
  /** First evaluated step at which the validation MSE was ≤ threshold, or null if never. */
  readonly stepsToThreshold: number | null;
  readonly parameterCount: number;
  readonly trainingSeconds: number;
  /** The trained network as the predictor serves it, e.g. to time its step kernels. */
  readonly model: RecurrentModel;
}

export interface AddingExperimentResult {
  readonly seqLen: number;
  readonly threshold: number;
  /** MSE of always predicting 1 (the mean target): 1/6. */
  readonly baselineMse: number;
  readonly backend: TrainingBackend['name'];
  readonly cells: readonly AddingCellResult[];
}

function layerFor(cell: AddingCell, units: number): RecurrentLayerSpec {
  return kerasLayer(cell === 'rnn' ? 'simpleRnn' : cell, units);
}

function architectureFor(cell: AddingCell, units: number): ModelArchitecture {
  return {
    inputSize: ADDING_INPUT_SIZE,
    layers: [layerFor(cell, units)],
    head: { units: 1, activation: 'linear', useBias: true },
  };
}

/**
 * Trains each cell type on the adding problem with the lib's own {@link train} (masked MSE: only
 * the last step is labeled), all cells on the same sequences, and reports learning curves. On
 * tfjs's wasm backend a cell of 32 units takes about 30 s per 600 steps of 64 sequences of 30.
 */
export async function runAddingExperiment(
  options: AddingExperimentOptions,
): Promise<AddingExperimentResult> {
  const seqLen = options.seqLen ?? 30;
  const steps = options.steps ?? 1500;
  const batchSize = options.batchSize ?? 64;
  const units = options.units ?? 32;
  const threshold = options.threshold ?? 0.05;
  requireInteger('steps', steps, 1);
  requireInteger('batchSize', batchSize, 1);
  const backend = await initTrainingBackend();
  // One fresh sequence per step and batch slot: a single pass, no sequence seen twice.
  const trainSet = generateAddingProblem({ count: steps * batchSize, seqLen, seed: options.seed });
  const validation = generateAddingProblem({
    count: options.validationSize ?? 1000,
    seqLen,
    seed: options.seed + 1,
  });
  const results: AddingCellResult[] = [];
  for (const cell of options.cells ?? ADDING_CELLS) {
    const model = createTrainableModel({
      architecture: architectureFor(cell, units),
      // By cell type, not position, so a cell starts from the same weights in any subset.
      seed: options.seed + 100 * (ADDING_CELLS.indexOf(cell) + 1),
    });
    try {
      const run = await train(
        model,
        { train: trainSet, validation },
        {
          steps,
          batchSize,
          learningRate: options.learningRate ?? 0.005,
          clipNorm: options.clipNorm ?? 1,
          evalEvery: options.evalEvery ?? 50,
          seed: options.seed,
          restoreBest: false,
          onProgress: (p) =>
            options.onProgress?.({
              cell,
              step: p.step,
              totalSteps: p.totalSteps,
              validationMse: p.validationLoss!,
              trainMse: p.trainLoss,
              elapsedSeconds: p.elapsedSeconds,
            }),
        },
      );
      const curve = run.history.map((p) => ({ step: p.step, mse: p.validationLoss! }));
      results.push({
        cell,
        curve,
        finalMse: run.validationLoss!,
        stepsToThreshold: curve.find((point) => point.mse <= threshold)?.step ?? null,
        parameterCount: model.network.countParams(),
        trainingSeconds: run.seconds,
        model: await toRecurrentModel(model),
      });
    } finally {
      model.network.dispose();
    }
  }
  return {
    seqLen,
    threshold,
    baselineMse: ADDING_BASELINE_MSE,
    backend: backend.name,
    cells: results,
  };
}
