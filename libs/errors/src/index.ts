export { RnnflowError, isRetriable } from './rnnflow.error.js';
export { closeAll } from './close.all.js';
export { withinDeadline } from './startup.deadline.js';
