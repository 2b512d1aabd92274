/** One (x, y) point of a series, in data units. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A named line; points are drawn in increasing x, whatever their order here. */
export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
}

/** A horizontal reference line at `y` (e.g. a baseline score), labeled at its right end. */
export interface Rule {
  readonly y: number;
  readonly label: string;
}

/** A vertical line at `x` (e.g. an event in time), labeled at its top. */
export interface Marker {
  readonly x: number;
  readonly label: string;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** At least one series, each with at least one point; a legend names them. */
  readonly series: readonly Series[];
  readonly rules?: readonly Rule[];
  readonly markers?: readonly Marker[];
  /** Logarithmic y axis; every y (points and rules) must then be > 0. Default false. */
  readonly logY?: boolean;
  /** Chart size in CSS pixels, title and axes included; defaults 720 × 400. */
  readonly width?: number;
  readonly height?: number;
  /** Device pixels per CSS pixel of the PNG (1–4); default 2, so 1440 × 800 by default. */
  readonly scale?: number;
}
