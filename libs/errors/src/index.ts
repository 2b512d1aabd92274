export { RnnflowError, isRetriable } from './rnnflow.error.js';
export { closeAll } from './close.all.js';
export { StartupTimeoutError, withinDeadline } from './startup.deadline.js';
