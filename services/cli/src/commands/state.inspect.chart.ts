import { lineChart, type Series } from '@rnnflow/plots';
import type { InspectReport } from './state.inspect.js';

/**
 * One chart per layer: the mean of each gate over the layer's units at every replayed step
 * (sigmoid gates 0–1, the tanh candidate −1–1), with the model's first output alongside.
 */
export function gateCharts(report: InspectReport): Promise<Buffer>[] {
  return report.layers.map((type, layer) => {
    const names = Object.keys(report.replay[0].layers[layer]);
    const series: Series[] = names.map((name) => ({
      name: `mean ${name}`,
      points: report.replay.map((step, t) => ({ x: t + 1, y: step.layers[layer][name] })),
    }));
    series.push({
      name: 'model output 0',
      points: report.replay.map((step, t) => ({ x: t + 1, y: step.outputs[0] })),
    });
    return lineChart({
      title: `${report.model} key ${report.key}: layer ${layer} (${type}) over its last ${report.replay.length} inputs`,
      xLabel: 'kept input, oldest first (replayed from a zero state)',
      yLabel: 'mean activation over units',
      series,
    });
  });
}
