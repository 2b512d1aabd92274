export type { LineChartOptions, Marker, Point, Rule, Series } from './chart.types.js';
export {
  DEFAULT_CHART_HEIGHT,
  DEFAULT_CHART_SCALE,
  DEFAULT_CHART_WIDTH,
  lineChart,
} from './line.chart.js';
export { PlotError } from './plot.error.js';
export { savePng } from './png.file.js';
