import type { RecurrentModel } from '@rnnflow/cells';
import { evaluateRecurrentModel } from './model.evaluate.js';
import { requireNumber } from './training.errors.js';
import type { WindowSet } from './window.set.js';

const MARGIN_TOLERANCE = 1e-12;

/** Outcome of a challenger/champion comparison on the same held-out windows. */
export interface ModelComparison {
  /** Held-out MSE of the active model, or null when there is none yet. */
  readonly championLoss: number | null;
  readonly challengerLoss: number;
  /** `(championLoss − challengerLoss) / championLoss`: 0.1 is 10 % lower loss; null without champion. */
  readonly improvement: number | null;
  /** Publish and activate the challenger. */
  readonly accept: boolean;
}

/**
 * Relative improvement of a challenger's loss over a champion's, and whether it is enough.
 * A challenger with a non-finite loss is never accepted; without a champion, any finite one is.
 * A champion with zero loss cannot be improved on.
 */
export function decideChallenger(
  championLoss: number | null,
  challengerLoss: number,
  margin: number,
): ModelComparison {
  requireNumber('margin', margin, 0);
  if (!Number.isFinite(challengerLoss)) {
    return { championLoss, challengerLoss, improvement: null, accept: false };
  }
  if (championLoss === null || !Number.isFinite(championLoss)) {
    return { championLoss, challengerLoss, improvement: null, accept: true };
  }
  const improvement =
    championLoss > 0
      ? (championLoss - challengerLoss) / championLoss
      : challengerLoss > 0
        ? -Infinity
        : 0;
  // The tolerance keeps float rounding from deciding an exact tie with the margin (1 → 0.9 is 10 %).
  const accept = championLoss > 0 && improvement >= margin - MARGIN_TOLERANCE;
  return { championLoss, challengerLoss, improvement, accept };
}

/**
 * Evaluates both models on `heldOut` with the predictor's stepper (what would actually be
 * served) and accepts the challenger when its MSE is lower than the champion's by at least
 * `margin`, relative (0.02 = 2 % lower).
 */
export function compareModels(
  champion: RecurrentModel | null,
  challenger: RecurrentModel,
  heldOut: WindowSet,
  options: { readonly margin: number },
): ModelComparison {
  const championLoss = champion ? evaluateRecurrentModel(champion, heldOut) : null;
  return decideChallenger(
    championLoss,
    evaluateRecurrentModel(challenger, heldOut),
    options.margin,
  );
}
