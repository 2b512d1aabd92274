import type { RecurrentModel } from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';
import {
  batchTensors,
  maskedSquaredError,
  sequentialBatches,
  type PreparedWindows,
} from './batch.tensors.js';
import { normalizedInputs } from './normalization.fit.js';
import type { TrainableModel } from './tfjs.model.js';
import { TrainingError } from './training.errors.js';
import { labeledStepCount, type WindowSet } from './window.set.js';

/** Windows evaluated per batch: bounds memory, not the result. */
const EVALUATION_BATCH = 256;

function requireLabels(set: WindowSet, outputSize: number): number {
  const labeled = labeledStepCount(set);
  if (labeled === 0)
    throw new TrainingError(
      'TRAINING_NO_DATA',
      'the window set has no labeled step to evaluate on',
    );
  if (set.outputSize !== outputSize) {
    throw new TrainingError(
      'TRAINING_SHAPE_MISMATCH',
      `the windows have ${set.outputSize} label values per step, the model ${outputSize} outputs`,
    );
  }
  return labeled;
}

/** Mean squared error of a prepared set under the network (no training, no tensor left behind). */
export function evaluatePrepared(network: tf.LayersModel, data: PreparedWindows): number {
  const outputShape = network.outputs[0].shape;
  requireLabels(data.set, outputShape[outputShape.length - 1] as number);
  let squared = 0;
  let values = 0;
  for (const rows of sequentialBatches(data.set.count, EVALUATION_BATCH)) {
    const sum = tf.tidy(() => {
      const batch = batchTensors(data, rows);
      values += batch.labeledValues;
      return maskedSquaredError(network.predict(batch.x) as tf.Tensor, batch);
    });
    squared += sum.dataSync()[0];
    sum.dispose();
  }
  return squared / values;
}

/**
 * MSE of the tfjs network over the labeled steps of `set` (raw inputs: the model's
 * normalization is applied here). Each window starts from a zero state.
 */
export function evaluate(model: TrainableModel, set: WindowSet): number {
  return evaluatePrepared(model.network, {
    set,
    inputs: normalizedInputs(set, model.normalization),
  });
}

/**
 * MSE of a served model over the labeled steps of `set`, computed with the cells stepper (the
 * predictor's own code), each window from a zero state. Pure JS, no tensors.
 */
export function evaluateRecurrentModel(model: RecurrentModel, set: WindowSet): number {
  const labeled = requireLabels(set, model.outputSize);
  if (set.inputSize !== model.inputSize) {
    throw new TrainingError(
      'TRAINING_SHAPE_MISMATCH',
      `the windows have ${set.inputSize} features per step, the model ${model.inputSize} inputs`,
    );
  }
  const { length: T, inputSize: I, outputSize: O } = set;
  const stepper = model.createStepper(EVALUATION_BATCH);
  const inputs = new Float32Array(EVALUATION_BATCH * I);
  const outputs = new Float32Array(EVALUATION_BATCH * O);
  let squared = 0;
  for (const rows of sequentialBatches(set.count, EVALUATION_BATCH)) {
    const states = model.createStates(rows.length);
    for (let t = 0; t < T; t++) {
      rows.forEach((n, b) =>
        inputs.set(set.inputs.subarray((n * T + t) * I, (n * T + t + 1) * I), b * I),
      );
      stepper.step(inputs, states, rows.length, outputs);
      rows.forEach((n, b) => {
        if (set.mask[n * T + t] === 0) return;
        for (let j = 0; j < O; j++) {
          const error = outputs[b * O + j] - set.labels[(n * T + t) * O + j];
          squared += error * error;
        }
      });
    }
  }
  return squared / (labeled * O);
}
