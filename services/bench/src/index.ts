export { BenchOptionError, BenchRunError } from './bench.errors.js';
export {
  deliveryModes,
  FULL_PRESET,
  parsePipelineOptions,
  QUICK_PRESET,
} from './pipeline.options.js';
export type {
  DeliveryChoice,
  DeliveryMode,
  PipelineOptions,
  RawPipelineOptions,
} from './pipeline.options.js';
export { runPipelineBench } from './pipeline.bench.js';
export type { PipelineContext } from './pipeline.bench.js';
export { renderTables } from './pipeline.report.js';
export type { BacklogResult, PipelineResult } from './pipeline.report.js';
export { TARGETS } from './pipeline.targets.js';
export type { TargetResult } from './pipeline.targets.js';
export type { LiveContenderResult, LiveResult, LiveRun } from './live.phase.js';
export { createProgressDisplay, silentProgress } from './progress.display.js';
export type { PhaseProgress, ProgressDisplay } from './progress.display.js';
export { runScriptBench, SCRIPT_BENCHES } from './script.bench.js';
export type { ScriptBench } from './script.bench.js';
export { parsePrecisionFlags, PRECISION_DEFAULTS, runPrecisionBench } from './precision.bench.js';
export { DRIFT_CASES, measureDrift } from './precision.drift.js';
export type { DriftCase, DriftInputs, DriftOptions, DriftResult } from './precision.drift.js';
