export { FULL_PRESET, parsePipelineOptions, QUICK_PRESET } from './pipeline.options.js';
export type { RawPipelineOptions } from './pipeline.options.js';
export { runPipelineBench } from './pipeline.bench.js';
export { renderTables } from './pipeline.report.js';
export { createProgressDisplay } from './progress.display.js';
export { runScriptBench } from './script.bench.js';
export type { ScriptBench } from './script.bench.js';
export { parsePrecisionFlags, PRECISION_DEFAULTS, runPrecisionBench } from './precision.bench.js';
