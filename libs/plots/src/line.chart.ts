import type { LineChartOptions } from './chart.types.js';
import { PlotError } from './plot.errors.js';
import { lineChartSpec } from './line-chart.vega.js';
import { specToSvg, svgToPng } from './svg.render.js';

const DEFAULT_CHART_WIDTH = 720;
const DEFAULT_CHART_HEIGHT = 400;
const DEFAULT_CHART_SCALE = 2;

/**
 * Draws series as lines against a shared x axis, with optional reference lines, and returns the
 * PNG bytes (`width·scale × height·scale` pixels, white background).
 * @throws PlotError `PLOT_BAD_DATA` for no series, an empty series, a non-finite coordinate or
 *   a y ≤ 0 on a log axis; `PLOT_BAD_OPTION` for a bad size or scale.
 */
export async function lineChart(options: LineChartOptions): Promise<Buffer> {
  const width = options.width ?? DEFAULT_CHART_WIDTH;
  const height = options.height ?? DEFAULT_CHART_HEIGHT;
  const scale = options.scale ?? DEFAULT_CHART_SCALE;
  requireSize('width', width);
  requireSize('height', height);
  if (!(scale >= 1 && scale <= 4)) {
    throw new PlotError('PLOT_BAD_OPTION', `scale must be in 1..4, got ${scale}`);
  }
  checkData(options);
  const svg = await specToSvg(lineChartSpec({ ...options, width, height }));
  return svgToPng(svg, scale);
}

function requireSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 100 || value > 4000) {
    throw new PlotError('PLOT_BAD_OPTION', `${name} must be an integer in 100..4000, got ${value}`);
  }
}

function checkData(options: LineChartOptions): void {
  if (options.series.length === 0) {
    throw new PlotError('PLOT_BAD_DATA', `chart "${options.title}" has no series`);
  }
  const minY = options.logY ? Number.MIN_VALUE : -Infinity;
  for (const series of options.series) {
    if (series.points.length === 0) {
      throw new PlotError('PLOT_BAD_DATA', `series "${series.name}" has no points`);
    }
    for (const { x, y } of series.points) {
      requireCoordinate(`series "${series.name}" x`, x, -Infinity);
      requireCoordinate(`series "${series.name}" y`, y, minY);
    }
  }
  for (const rule of options.rules ?? []) requireCoordinate(`rule "${rule.label}" y`, rule.y, minY);
  for (const marker of options.markers ?? []) {
    requireCoordinate(`marker "${marker.label}" x`, marker.x, -Infinity);
  }
}

function requireCoordinate(what: string, value: number, min: number): void {
  if (!Number.isFinite(value)) {
    throw new PlotError('PLOT_BAD_DATA', `${what} must be a finite number, got ${value}`);
  }
  if (value < min) {
    throw new PlotError('PLOT_BAD_DATA', `${what} must be > 0 on a log axis, got ${value}`);
  }
}
