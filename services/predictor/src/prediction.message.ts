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

/**
 * The output record's value: JSON `{"key", "source", "model", "step", "output", "ts"}`. Written
 * by hand rather than with `JSON.stringify` on a nested object: it runs once per prediction on
 * the event loop, and the result is byte for byte what `JSON.stringify` gives.
 */
export function encodePrediction(prediction: Prediction): string {
  return (
    `{"key":${JSON.stringify(prediction.key)},` +
    `"source":{"topic":${JSON.stringify(prediction.topic)},"partition":${jsonNumber(prediction.partition)},"offset":${jsonNumber(prediction.offset)}},` +
    `"model":{"name":${JSON.stringify(prediction.model)},"version":${jsonNumber(prediction.version)}},` +
    `"step":${jsonNumber(prediction.step)},"output":[${jsonNumbers(prediction.output)}],"ts":${jsonNumber(prediction.eventTime)}}`
  );
}

/** A number as JSON writes it: non-finite values become null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function jsonNumbers(values: ArrayLike<number>): string {
  let text = '';
  for (let index = 0; index < values.length; index += 1) {
    text += index === 0 ? jsonNumber(values[index]) : `,${jsonNumber(values[index])}`;
  }
  return text;
}
