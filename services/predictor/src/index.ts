export { predictorSettings } from './predictor.settings.js';
export type { PredictorSettings } from './predictor.settings.js';
export { startPredictor } from './predictor.service.js';
export type { PredictorHandle, ServingPredictorHandle } from './predictor.service.js';
