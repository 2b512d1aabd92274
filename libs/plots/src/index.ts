export type { Marker, Rule, Series } from './chart.types.js';
export { lineChart } from './line.chart.js';
export { savePng } from './png.file.js';
