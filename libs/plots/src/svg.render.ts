import { Resvg } from '@resvg/resvg-js';
import { parse, View, type Spec } from 'vega';

/** Draws a Vega spec headlessly (no canvas, no DOM) as an SVG document. */
export async function specToSvg(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterizes an SVG document to PNG bytes, `scale` device pixels per SVG unit. Text uses the
 * system fonts (fontconfig's, e.g. DejaVu); without any, labels are left out but lines remain.
 */
export function svgToPng(svg: string, scale: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
