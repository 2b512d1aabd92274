import { describe, expect, it } from 'vitest';
import { onlineErrorByVersion } from './metrics.scrape.js';

describe('onlineErrorByVersion', () => {
  it('reads the mean error gauge per model version and nothing else', () => {
    const exposition = [
      '# HELP rnnflow_predictor_prediction_absolute_error_mean Mean absolute error',
      '# TYPE rnnflow_predictor_prediction_absolute_error_mean gauge',
      'rnnflow_predictor_prediction_absolute_error_mean{model_version="1",service="predictor"} 1.25',
      'rnnflow_predictor_prediction_absolute_error_mean{service="predictor",model_version="12"} 0.0625',
      'rnnflow_predictor_prediction_absolute_error_sum{model_version="1"} 99',
      'rnnflow_predictor_events_predicted_total{model_version="1"} 40',
      '',
    ].join('\n');
    expect(onlineErrorByVersion(exposition)).toEqual(
      new Map([
        [1, 1.25],
        [12, 0.0625],
      ]),
    );
  });
});
