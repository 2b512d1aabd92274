export { predictorSettings } from './predictor.settings.js';
export type { PredictorSettings } from './predictor.settings.js';
export { startPredictor } from './predictor.service.js';
export type { PredictorHandle } from './predictor.service.js';
export { ModelRejectedError } from './model.loader.js';
