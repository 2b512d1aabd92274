export { RnnflowError, isRetriable } from './rnnflow.error.js';
