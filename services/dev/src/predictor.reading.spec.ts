import { describe, expect, it } from 'vitest';
import { onlineErrorByVersion } from './predictor.reading.js';

describe('onlineErrorByVersion', () => {
  it('reads the mean error gauge per model version and nothing else', () => {
    const samples = [
      {
        name: 'rnnflow_predictor_prediction_absolute_error_mean',
        labels: { model_version: '1' },
        value: 1.25,
      },
      {
        name: 'rnnflow_predictor_prediction_absolute_error_mean',
        labels: { model_version: '12' },
        value: 0.0625,
      },
      {
        name: 'rnnflow_predictor_prediction_absolute_error_sum',
        labels: { model_version: '1' },
        value: 99,
      },
      {
        name: 'rnnflow_predictor_events_predicted_total',
        labels: { model_version: '1' },
        value: 40,
      },
    ];
    expect(onlineErrorByVersion(samples)).toEqual(
      new Map([
        [1, 1.25],
        [12, 0.0625],
      ]),
    );
  });
});
