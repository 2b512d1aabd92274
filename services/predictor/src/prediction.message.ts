/** What a prediction says; see the README's "Output record" contract. */
export interface Prediction {
  key: string;
  topic: string;
  partition: number;
  offset: number;
  model: string;
  version: number;
  /** 1 for a key's first event after it started or ended. */
  step: number;
  output: ArrayLike<number>;
  /** The input event's time, epoch ms. */
  eventTime: number;
}

export const MODEL_HEADER = 'rnnflow-model';
export const MODEL_VERSION_HEADER = 'rnnflow-model-version';

/** The output record's value: JSON `{"key", "source", "model", "step", "output", "ts"}`. */
export function encodePrediction(prediction: Prediction): string {
  return JSON.stringify({
    key: prediction.key,
    source: { topic: prediction.topic, partition: prediction.partition, offset: prediction.offset },
    model: { name: prediction.model, version: prediction.version },
    step: prediction.step,
    output: Array.from(prediction.output),
    ts: prediction.eventTime,
  });
}
