export { addingChart, horizonChart } from './adding.chart.js';
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
  type AddingEntry,
  type AddingResults,
} from './adding.results.js';
export { runAdding, type AddingRunOutcome, type SweepProgress } from './adding.run.js';
export { ExperimentOptionError } from './experiment.error.js';
export { measureStepThroughput, type ThroughputOptions } from './step.throughput.js';
