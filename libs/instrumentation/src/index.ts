export { Instrumentation } from './instrumentation.js';
export type { Unsubscribe } from './instrumentation.js';
