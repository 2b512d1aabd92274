import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { LineChartOptions } from './chart.types.js';
import { lineChart } from './line.chart.js';
import { PlotError } from './plot.errors.js';
import { savePng } from './png.file.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** tableau10's first two colors: the first and second series. */
const BLUE = [0x4c, 0x78, 0xa8];
const ORANGE = [0xf5, 0x85, 0x18];

const chart: LineChartOptions = {
  title: 'Validation MSE',
  xLabel: 'step',
  yLabel: 'MSE',
  series: [
    { name: 'lstm', points: [0, 100, 200, 300].map((x) => ({ x, y: 0.2 / (1 + x / 50) })) },
    { name: 'gru', points: [300, 0, 200, 100].map((x) => ({ x, y: 0.2 / (1 + x / 20) })) },
  ],
  rules: [{ y: 1 / 6, label: 'baseline' }],
  markers: [{ x: 150, label: 'swap' }],
};

/** Width and height from the IHDR chunk, which a valid PNG has right after its signature. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function countPixels(png: Buffer, rgb: readonly number[]): number {
  const { data } = PNG.sync.read(png);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) count++;
  }
  return count;
}

describe('lineChart', () => {
  it('renders a PNG of width·scale × height·scale pixels', async () => {
    const png = await lineChart({ ...chart, width: 500, height: 300, scale: 2 });
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(ihdrSize(png)).toEqual({ width: 1000, height: 600 });
    expect(ihdrSize(await lineChart({ ...chart, scale: 1 }))).toEqual({ width: 720, height: 400 });
  });

  it('draws on a white background with many colors, each series in its own', async () => {
    const png = await lineChart(chart);
    const { data } = PNG.sync.read(png);
    const colors = new Set<number>();
    let white = 0;
    let transparent = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] !== 255) transparent++;
      colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255) white++;
    }
    const pixels = data.length / 4;
    expect(transparent).toBe(0);
    expect(white / pixels).toBeGreaterThan(0.5);
    expect(white / pixels).toBeLessThan(0.99);
    expect(colors.size).toBeGreaterThan(20);
    expect(countPixels(png, BLUE)).toBeGreaterThan(500);
    expect(countPixels(png, ORANGE)).toBeGreaterThan(500);
  });

  it('draws text (title, labels) with its bundled font', async () => {
    // Same chart with and without a title: the title's pixels are the difference.
    const titled = PNG.sync.read(await lineChart(chart)).data;
    const untitled = PNG.sync.read(await lineChart({ ...chart, title: '' })).data;
    let differing = 0;
    for (let i = 0; i < titled.length; i += 4) if (titled[i] !== untitled[i]) differing++;
    expect(differing).toBeGreaterThan(100);
  });

  it('accepts a log y axis with positive values', async () => {
    const png = await lineChart({ ...chart, logY: true });
    expect(countPixels(png, BLUE)).toBeGreaterThan(500);
  });

  it.each([
    ['no series', { series: [] }, 'PLOT_BAD_DATA', /no series/],
    ['an empty series', { series: [{ name: 'a', points: [] }] }, 'PLOT_BAD_DATA', /"a" has no/],
    [
      'a NaN',
      { series: [{ name: 'a', points: [{ x: 0, y: NaN }] }] },
      'PLOT_BAD_DATA',
      /"a" y must be a finite number, got NaN/,
    ],
    [
      'a zero on a log axis',
      { logY: true, rules: [{ y: 0, label: 'zero' }] },
      'PLOT_BAD_DATA',
      /"zero" y must be > 0/,
    ],
    ['a tiny width', { width: 10 }, 'PLOT_BAD_OPTION', /width must be an integer in 100..4000/],
    ['a huge scale', { scale: 10 }, 'PLOT_BAD_OPTION', /scale must be in 1..4, got 10/],
  ] as const)('refuses %s', async (_case, change, code, message) => {
    const failure = lineChart({ ...chart, ...change }).catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(PlotError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });
});

describe('savePng', () => {
  it('writes the bytes, creating missing folders', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rnnflow-plots-'));
    try {
      const file = path.join(dir, 'a', 'b', 'chart.png');
      const png = await lineChart(chart);
      await savePng(file, png);
      expect(await readFile(file)).toEqual(png);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
