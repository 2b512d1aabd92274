export { RnnflowError, isRetriable } from './rnnflow.errors.js';
export { closeAll } from './close.all.js';
export { withinDeadline } from './startup.deadline.js';
