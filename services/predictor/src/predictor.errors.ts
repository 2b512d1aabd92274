import { RnnflowError } from '@rnnflow/errors';

/**
 * Redis refused a partition's state write because another predictor took a newer epoch of it:
 * this instance lost the partition (a rebalance, or it was presumed dead) and must not write.
 */
export class StatesFencedError extends RnnflowError {
  constructor(readonly partition: string) {
    super(
      'STATES_FENCED',
      `state writes of ${partition} were fenced: another predictor took the partition over`,
      { retriable: true },
    );
  }
}

/** A registry version that cannot be served; the predictor keeps serving what it has. */
export class ModelRejectedError extends RnnflowError {
  constructor(model: string, version: number, reason: string, cause?: unknown) {
    super('MODEL_REJECTED', `model "${model}" version ${version} cannot be served: ${reason}`, {
      cause,
    });
  }
}
