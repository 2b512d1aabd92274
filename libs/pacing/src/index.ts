export { RatePacer } from './rate.pacer.js';
