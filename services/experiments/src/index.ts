export { parseAddingFlags, type AddingFlags } from './adding.options.js';
export { createAddingProgress } from './adding.progress.js';
export { runAdding } from './adding.run.js';
