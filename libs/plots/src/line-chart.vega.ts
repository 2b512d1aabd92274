import type { Spec } from 'vega';
import type { LineChartOptions } from './chart.types.js';

// The one family svg.render.ts loads; sans-serif is its fallback name there too.
const FONT = 'DejaVu Sans, sans-serif';
const REFERENCE_COLOR = '#555555';

/**
 * The Vega spec of a line chart: one colored line per series (tableau10 palette, in series
 * order), dashed gray reference rules and markers with their labels, axes with grids, a legend.
 * `width × height` is the whole picture (autosize fit), so the PNG size is known in advance.
 */
export function lineChartSpec(
  options: LineChartOptions & { readonly width: number; readonly height: number },
): Spec {
  const points = options.series.flatMap((series) =>
    [...series.points]
      .sort((a, b) => a.x - b.x)
      .map((point) => ({ series: series.name, x: point.x, y: point.y })),
  );
  return {
    width: options.width,
    height: options.height,
    padding: 10,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    title: { text: options.title, fontSize: 16, font: FONT },
    config: {
      axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 13 },
      // Series names are labels the caller chose: show them whole rather than cut at 160 px.
      legend: { labelFont: FONT, labelFontSize: 12, labelLimit: 400 },
    },
    data: [
      { name: 'points', values: points },
      { name: 'rules', values: [...(options.rules ?? [])] },
      { name: 'markers', values: [...(options.markers ?? [])] },
    ],
    scales: [
      {
        name: 'x',
        type: 'linear',
        range: 'width',
        zero: false,
        nice: true,
        domain: {
          fields: [
            { data: 'points', field: 'x' },
            { data: 'markers', field: 'x' },
          ],
        },
      },
      {
        name: 'y',
        type: options.logY ? 'log' : 'linear',
        range: 'height',
        nice: true,
        zero: false,
        domain: {
          fields: [
            { data: 'points', field: 'y' },
            { data: 'rules', field: 'y' },
          ],
        },
      },
      {
        name: 'color',
        type: 'ordinal',
        range: { scheme: 'tableau10' },
        domain: options.series.map((series) => series.name),
      },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: options.xLabel, grid: true, tickCount: 8 },
      {
        orient: 'left',
        scale: 'y',
        title: options.yLabel,
        grid: true,
        // A log axis labels each decade; more ticks would crowd the grid.
        tickCount: options.logY ? 5 : 8,
      },
    ],
    // Outside the plot, so it never hides a line or a reference label.
    legends: [{ stroke: 'color', orient: 'right', symbolType: 'stroke' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'points', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 'series' },
            encode: {
              enter: {
                x: { scale: 'x', field: 'x' },
                y: { scale: 'y', field: 'y' },
                stroke: { scale: 'color', field: 'series' },
                strokeWidth: { value: 2 },
              },
            },
          },
        ],
      },
      ...referenceMarks(),
    ],
  };
}

/** Horizontal rules across the plot and vertical markers from top to bottom, each labeled. */
function referenceMarks(): Spec['marks'] & object {
  const line = { stroke: { value: REFERENCE_COLOR }, strokeDash: { value: [6, 4] } };
  const text = { fill: { value: REFERENCE_COLOR }, font: { value: FONT }, fontSize: { value: 11 } };
  return [
    {
      type: 'rule',
      from: { data: 'rules' },
      encode: {
        enter: { x: { value: 0 }, x2: { signal: 'width' }, y: { scale: 'y', field: 'y' }, ...line },
      },
    },
    {
      type: 'text',
      from: { data: 'rules' },
      encode: {
        enter: {
          x: { signal: 'width' },
          y: { scale: 'y', field: 'y', offset: -4 },
          text: { field: 'label' },
          align: { value: 'right' },
          baseline: { value: 'bottom' },
          ...text,
        },
      },
    },
    {
      type: 'rule',
      from: { data: 'markers' },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { value: 0 },
          y2: { signal: 'height' },
          ...line,
        },
      },
    },
    {
      type: 'text',
      from: { data: 'markers' },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x', offset: 4 },
          y: { value: 4 },
          text: { field: 'label' },
          align: { value: 'left' },
          baseline: { value: 'top' },
          ...text,
        },
      },
    },
  ];
}
