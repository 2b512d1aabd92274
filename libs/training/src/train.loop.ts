import * as tf from '@tensorflow/tfjs';
import { batchTensors, maskedSquaredError, type PreparedWindows } from './batch.tensors.js';
import { evaluatePrepared } from './model.evaluate.js';
import { normalizedInputs } from './normalization.fit.js';
import { seededRandom, shuffleInPlace } from '@rnnflow/random';
import type { TrainableModel } from './tfjs.model.js';
import { requireInteger, requireNumber, TrainingError } from './training.errors.js';
import { labeledStepCount, type WindowSet } from './window.set.js';

/** Stop when the validation loss has not improved by `minDelta` for `patience` evaluations. */
export interface EarlyStopping {
  readonly patience: number;
  /** Absolute improvement of the validation MSE that counts as progress. */
  readonly minDelta: number;
}

/** Reported after every evaluation. */
export interface TrainProgress {
  /** Optimizer steps done so far. */
  readonly step: number;
  readonly totalSteps: number;
  /** Mean batch MSE since the previous evaluation. */
  readonly trainLoss: number;
  /** MSE on the validation set, or null without one. */
  readonly validationLoss: number | null;
  readonly elapsedSeconds: number;
}

/** Adam + masked MSE with backpropagation through each whole window. */
export interface TrainOptions {
  /** Passes over the training windows; give `epochs` or `steps`. */
  readonly epochs?: number;
  /** Optimizer steps (batches); give `epochs` or `steps`. */
  readonly steps?: number;
  /** Windows per step. */
  readonly batchSize: number;
  /** Adam learning rate, e.g. 1e-3..1e-2. */
  readonly learningRate: number;
  /** Largest global L2 norm of the gradients (rescaled above it); none when absent. */
  readonly clipNorm?: number;
  /** Needs validation windows. */
  readonly earlyStopping?: EarlyStopping;
  /** Steps between validation evaluations (and progress reports); default one epoch. */
  readonly evalEvery?: number;
  /** Seed of the batch order; same data, seed and weights give the same run. */
  readonly seed?: number;
  /** Keep the weights of the best validation loss at the end (default true with validation). */
  readonly restoreBest?: boolean;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Stops after the current step; the result says how far it got. */
  readonly signal?: AbortSignal;
}

/** Training windows and optional validation windows (raw inputs). */
export interface TrainData {
  readonly train: WindowSet;
  readonly validation?: WindowSet;
}

export interface TrainResult {
  readonly history: readonly TrainProgress[];
  /** Mean batch MSE of the last evaluation interval. */
  readonly trainLoss: number;
  /** Validation MSE of the weights the model holds at the end, or null without validation. */
  readonly validationLoss: number | null;
  readonly steps: number;
  readonly stoppedEarly: boolean;
  readonly seconds: number;
}

function checkOptions(options: TrainOptions, data: TrainData): void {
  if ((options.epochs === undefined) === (options.steps === undefined)) {
    throw new TrainingError('TRAINING_BAD_OPTION', 'give exactly one of epochs and steps');
  }
  if (options.epochs !== undefined) requireInteger('epochs', options.epochs, 1);
  if (options.steps !== undefined) requireInteger('steps', options.steps, 1);
  requireInteger('batchSize', options.batchSize, 1);
  requireNumber('learningRate', options.learningRate, Number.MIN_VALUE);
  if (options.clipNorm !== undefined) requireNumber('clipNorm', options.clipNorm, Number.MIN_VALUE);
  if (options.evalEvery !== undefined) requireInteger('evalEvery', options.evalEvery, 1);
  if (options.earlyStopping) {
    if (!data.validation) {
      throw new TrainingError('TRAINING_BAD_OPTION', 'earlyStopping needs validation windows');
    }
    requireInteger('earlyStopping.patience', options.earlyStopping.patience, 1);
    requireNumber('earlyStopping.minDelta', options.earlyStopping.minDelta, 0);
  }
  if (labeledStepCount(data.train) === 0) {
    throw new TrainingError('TRAINING_NO_DATA', 'no labeled step in the training windows');
  }
}

/** Rescales all gradients together when their global L2 norm exceeds `clipNorm` (Pascanu et al.). */
function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  clipNorm: number | undefined,
): tf.NamedTensorMap {
  if (clipNorm === undefined) return grads;
  const tensors = Object.values(grads);
  const norm = tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}

/** Batches of a fresh seeded permutation per epoch, endlessly. */
function* batchOrder(count: number, batchSize: number, random: () => number): Generator<number[]> {
  const order = Array.from({ length: count }, (_, n) => n);
  for (;;) {
    shuffleInPlace(order, random);
    for (let start = 0; start < count; start += batchSize)
      yield order.slice(start, start + batchSize);
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Keeps a copy of the best weights seen (by validation loss) and restores them on demand. */
class BestWeights {
  loss = Infinity;
  private weights: tf.Tensor[] | null = null;

  offer(network: tf.LayersModel, loss: number): void {
    if (!(loss < this.loss)) return;
    this.loss = loss;
    tf.dispose(this.weights ?? []);
    this.weights = network.getWeights().map((w) => w.clone());
  }

  restore(network: tf.LayersModel): void {
    if (this.weights) network.setWeights(this.weights);
  }

  dispose(): void {
    tf.dispose(this.weights ?? []);
    this.weights = null;
  }
}

/**
 * One optimizer step on `rows`, returning its batch MSE. Loss: masked MSE over the labeled steps,
 * gradients through the whole window (BPTT from a zero state), clipped, applied by Adam.
 */
function trainStep(
  network: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: PreparedWindows,
  rows: readonly number[],
  clipNorm: number | undefined,
): tf.Scalar {
  const variables = network.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    const batch = batchTensors(data, rows);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.div(
          maskedSquaredError(network.apply(batch.x, { training: true }) as tf.Tensor, batch),
          Math.max(1, batch.labeledValues),
        ) as tf.Scalar,
      variables,
    );
    optimizer.applyGradients(clipByGlobalNorm(grads, clipNorm));
    return value;
  });
}

/** Loss bookkeeping of one run: the history, early stopping and the best weights. */
class RunRecord {
  readonly history: TrainProgress[] = [];
  readonly best = new BestWeights();
  private interval = { loss: 0, steps: 0 };
  private sinceImprovement = 0;
  private readonly started = performance.now();

  constructor(
    private readonly options: TrainOptions,
    readonly totalSteps: number,
  ) {}

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  get pendingSteps(): number {
    return this.interval.steps;
  }

  addStep(loss: number): void {
    this.interval = { loss: this.interval.loss + loss, steps: this.interval.steps + 1 };
  }

  /** Closes an evaluation interval; true when early stopping says to stop. */
  evaluate(network: tf.LayersModel, step: number, validation: PreparedWindows | null): boolean {
    const validationLoss = validation ? evaluatePrepared(network, validation) : null;
    const progress: TrainProgress = {
      step,
      totalSteps: this.totalSteps,
      trainLoss: this.interval.loss / this.interval.steps,
      validationLoss,
      elapsedSeconds: this.seconds,
    };
    this.history.push(progress);
    this.options.onProgress?.(progress);
    this.interval = { loss: 0, steps: 0 };
    if (validationLoss === null) return false;
    const stopping = this.options.earlyStopping;
    const improved = validationLoss < this.best.loss - (stopping?.minDelta ?? 0);
    this.sinceImprovement = improved ? 0 : this.sinceImprovement + 1;
    this.best.offer(network, validationLoss);
    return stopping !== undefined && this.sinceImprovement >= stopping.patience;
  }
}

function prepare(set: WindowSet, model: TrainableModel): PreparedWindows {
  return { set, inputs: normalizedInputs(set, model.normalization) };
}

/**
 * Trains `model.network` in place. Yields to the event loop between steps, so a consumer in
 * the same process keeps its heartbeats. Every tensor it creates is released, the Adam state
 * included. With validation windows (and `restoreBest`, the default) the network ends with the
 * weights of its best validation loss.
 * @throws TrainingError `TRAINING_BAD_OPTION`, `TRAINING_NO_DATA`, or `TRAINING_DIVERGED` when
 *   the loss becomes NaN/Infinity (the network's weights are then unusable).
 */
export async function train(
  model: TrainableModel,
  data: TrainData,
  options: TrainOptions,
): Promise<TrainResult> {
  checkOptions(options, data);
  const training = prepare(data.train, model);
  const validation = data.validation ? prepare(data.validation, model) : null;
  const stepsPerEpoch = Math.ceil(data.train.count / options.batchSize);
  const record = new RunRecord(options, options.steps ?? options.epochs! * stepsPerEpoch);
  const evalEvery = options.evalEvery ?? stepsPerEpoch;
  const batches = batchOrder(data.train.count, options.batchSize, seededRandom(options.seed ?? 0));
  const optimizer = tf.train.adam(options.learningRate);
  let stoppedEarly = false;
  let step = 0;
  try {
    while (step < record.totalSteps && !stoppedEarly && !options.signal?.aborted) {
      const rows = batches.next().value!;
      const lossTensor = trainStep(model.network, optimizer, training, rows, options.clipNorm);
      const loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      if (!Number.isFinite(loss)) {
        throw new TrainingError(
          'TRAINING_DIVERGED',
          `the training loss became ${loss} at step ${step + 1}; lower the learning rate or set clipNorm`,
        );
      }
      step++;
      record.addStep(loss);
      if (step % evalEvery === 0) stoppedEarly = record.evaluate(model.network, step, validation);
      await yieldToEventLoop();
    }
    // An aborted run still reports where it got to (trainLoss NaN when no step was made).
    if (record.pendingSteps > 0 || record.history.length === 0) {
      record.evaluate(model.network, step, validation);
    }
    const restore = validation !== null && (options.restoreBest ?? true);
    if (restore) record.best.restore(model.network);
    return {
      history: record.history,
      trainLoss: record.history[record.history.length - 1]?.trainLoss ?? NaN,
      validationLoss: validation
        ? restore
          ? record.best.loss
          : record.history[record.history.length - 1].validationLoss
        : null,
      steps: step,
      stoppedEarly,
      seconds: record.seconds,
    };
  } finally {
    record.best.dispose();
    optimizer.dispose();
  }
}
