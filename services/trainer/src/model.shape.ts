import { kerasLayer, type ModelArchitecture, type RecurrentLayerSpec } from '@rnnflow/cells';

/** Sizes of what the trainer trains: features in, label values out, and where labels come from. */
export interface ModelShape {
  /** I, features per event. */
  readonly inputSize: number;
  /** O, label values per step (the model's outputs). */
  readonly outputSize: number;
  /**
   * Feature indices forecast from the next event when an event has no target, or undefined
   * when only events with a target are labeled (the model's outputs are not those features).
   */
  readonly forecastFeatures: readonly number[] | undefined;
}

/**
 * The shape from the active model when there is one (its sizes must not change, or the
 * predictors' states and outputs would change meaning), else from the first event's feature
 * count and the configured label features.
 */
export function modelShape(
  champion: { readonly inputSize: number; readonly outputSize: number } | null,
  firstEventFeatures: number,
  labelFeatures: readonly number[],
): ModelShape {
  const inputSize = champion?.inputSize ?? firstEventFeatures;
  const outputSize = champion?.outputSize ?? labelFeatures.length;
  return {
    inputSize,
    outputSize,
    forecastFeatures: labelFeatures.length === outputSize ? labelFeatures : undefined,
  };
}

/** The recurrent cells a model trained from scratch can use. */
export type CellChoice = 'lstm' | 'gru' | 'rnn';

function layerSpec(cell: CellChoice, units: number): RecurrentLayerSpec {
  return kerasLayer(cell === 'rnn' ? 'simpleRnn' : cell, units);
}

/**
 * Stacked layers of `cell` with `units` each (first layer first) and a linear Dense head with one
 * output per label value: a regression on the labels.
 */
export function scratchArchitecture(
  shape: ModelShape,
  cell: CellChoice,
  units: readonly number[],
): ModelArchitecture {
  return {
    inputSize: shape.inputSize,
    layers: units.map((count) => layerSpec(cell, count)),
    head: { units: shape.outputSize, activation: 'linear', useBias: true },
  };
}
