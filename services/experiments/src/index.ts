export { addingChart } from './adding.chart.js';
export {
  ADDING_DEFAULTS,
  parseAddingFlags,
  type AddingFlags,
  type AddingRunOptions,
} from './adding.options.js';
export { createAddingProgress, type AddingProgressReporter } from './adding.progress.js';
export {
  addingMarkdown,
  summarizeAdding,
  type AddingCellSummary,
  type AddingResults,
} from './adding.results.js';
export { runAdding, type AddingRunOutcome } from './adding.run.js';
export { ExperimentOptionError } from './experiment.error.js';
export { measureStepThroughput, type ThroughputOptions } from './step.throughput.js';
