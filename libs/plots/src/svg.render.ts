import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { parse, View, type Spec } from 'vega';

const require = createRequire(import.meta.url);

/**
 * DejaVu Sans, regular and bold (titles), from the `dejavu-fonts-ttf` package rather than the
 * system: charts render the same on every machine, including one without any font installed.
 */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

/** Draws a Vega spec headlessly (no canvas, no DOM) as an SVG document. */
export async function specToSvg(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG document to PNG bytes, `scale` device pixels per SVG unit. */
export function svgToPng(svg: string, scale: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
