export { predictorSettings } from './predictor.settings.js';
export type { PredictorSettings } from './predictor.settings.js';
export { startPredictor } from './predictor.service.js';
export type { PredictorHandle, ServingPredictorHandle, StartOptions } from './predictor.service.js';
export { ModelRejectedError } from './predictor.errors.js';
