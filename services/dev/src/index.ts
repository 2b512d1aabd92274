export { runDev } from './dev.run.js';
export type { DevRunContext, DevRunResult } from './dev.run.js';
export { DEV_DEFAULTS, defaultReportDir } from './dev.options.js';
export type { DevOptions } from './dev.options.js';
export { createTerminalView } from './terminal.view.js';
export type { PhaseTiming, TerminalView } from './terminal.view.js';
export type { DevSummary, TrainingRoundSummary } from './report.summary.js';
export type { Swap } from './run.record.js';
export { REPORT_CHARTS } from './report.writer.js';
