export { runDev } from './dev.run.js';
export { DEV_DEFAULTS, defaultReportDir } from './dev.options.js';
export type { DevOptions } from './dev.options.js';
export { createTerminalView } from './terminal.view.js';
export { latencyLine } from './report.summary.js';
export { REPORT_CHARTS } from './report.writer.js';
