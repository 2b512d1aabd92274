import { decodeModel, type ModelArchitecture, type RecurrentModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import type { TrainerMetrics } from '@rnnflow/metrics';
import type { ModelRegistry } from '@rnnflow/registry';
import {
  createTrainableModel,
  runTrainingRound,
  toRecurrentModel,
  TrainingError,
  type EventSource,
  type RoundOptions,
  type RoundResult,
} from '@rnnflow/training';
import type { TrainingIntake } from './event.intake.js';
import { scratchArchitecture, type ModelShape } from './model.shape.js';
import type { RoundLog, RoundRecord } from './round.log.js';
import { TrainerError } from './trainer.errors.js';
import type { TrainerSettings } from './trainer.settings.js';

/** The registry calls a round makes. */
export type RoundRegistry = Pick<ModelRegistry, 'activeVersion' | 'artefact' | 'publish'>;

/** What a round needs around it. */
export interface RoundContext {
  readonly settings: TrainerSettings;
  readonly registry: RoundRegistry;
  readonly intake: TrainingIntake;
  readonly log: Pick<RoundLog, 'record'>;
  readonly recorder: TrainerMetrics;
  readonly logger: Logger;
  /** Stops training after the current step; the round is then skipped, nothing published. */
  readonly signal?: AbortSignal;
}

interface Champion {
  readonly version: number | null;
  /** The active model, or the untrained model of the configured architecture when none. */
  readonly model: RecurrentModel;
}

/**
 * One round: the active version (the champion) against a challenger trained on the buffer, on
 * held-out windows; the challenger is published and activated only when its held-out loss is
 * lower by the margin. On a fresh deployment the champion is the untrained model of the
 * configured architecture, so a model that learned nothing is never published. Every round
 * but a failed one is recorded in the round log; a failure throws.
 */
export async function runRound(context: RoundContext): Promise<RoundRecord> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const { settings, intake } = context;
  const source = intake.events;
  const shape = intake.shape;
  if (!source || !shape || source.stats().events === 0) {
    return finish(context, skipped(settings.model, null, 'no events buffered', seconds()));
  }
  const champion = await loadChampion(context, shape);
  const trainingWindow = eventTimeSpan(source);
  let result: RoundResult;
  try {
    result = await runTrainingRound(
      source,
      champion.model,
      roundOptions(settings, shape, champion, context),
    );
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'TRAINING_NO_DATA') {
      return finish(context, skipped(settings.model, champion.version, error.message, seconds()));
    }
    throw error;
  }
  if (context.signal?.aborted) {
    return finish(
      context,
      skipped(settings.model, champion.version, 'the trainer is stopping', seconds()),
    );
  }
  const decided = await decide(context, champion, result, trainingWindow);
  return finish(context, {
    model: settings.model,
    ...decided,
    championVersion: champion.version,
    startedFrom: result.startedFrom,
    losses: {
      champion: result.comparison.championLoss,
      challenger: result.comparison.challengerLoss,
      improvement: result.comparison.improvement,
      margin: settings.margin,
      training: result.training.trainLoss,
      validation: result.training.validationLoss,
    },
    windows: result.windows,
    trainingWindow,
    seconds: seconds(),
    at: Date.now(),
  });
}

async function loadChampion(context: RoundContext, shape: ModelShape): Promise<Champion> {
  const { registry, settings } = context;
  const version = await registry.activeVersion(settings.model);
  if (version === null) return { version, model: await untrainedModel(settings, shape) };
  let model: RecurrentModel;
  try {
    model = decodeModel(await registry.artefact(settings.model, version));
  } catch (error) {
    throw new TrainerError(
      'TRAINER_MODEL_UNREADABLE',
      `model "${settings.model}" version ${version} cannot be read (${(error as Error).message}); activate a readable version`,
      { cause: error },
    );
  }
  if (model.inputSize !== shape.inputSize || model.outputSize !== shape.outputSize) {
    throw new TrainerError(
      'TRAINER_SHAPE_MISMATCH',
      `model "${settings.model}" version ${version} takes ${model.inputSize} features and gives ${model.outputSize} outputs, the buffered events have ${shape.inputSize} features and ${shape.outputSize} label values; restart the trainer after changing the model's shape`,
    );
  }
  return { version, model };
}

/** The configured architecture with its seeded initial weights: what a fresh model must beat. */
async function untrainedModel(
  settings: TrainerSettings,
  shape: ModelShape,
): Promise<RecurrentModel> {
  const trainable = createTrainableModel({
    architecture: architectureOf(settings, shape),
    seed: settings.seed,
  });
  try {
    return await toRecurrentModel(trainable);
  } finally {
    trainable.network.dispose();
  }
}

function architectureOf(settings: TrainerSettings, shape: ModelShape): ModelArchitecture {
  return scratchArchitecture(shape, settings.cell, settings.units);
}

function roundOptions(
  settings: TrainerSettings,
  shape: ModelShape,
  champion: Champion,
  { signal, logger }: Pick<RoundContext, 'signal' | 'logger'>,
): RoundOptions {
  return {
    architecture: architectureOf(settings, shape),
    // Without an active version the "champion" is the untrained baseline: never fine-tune it.
    fineTune: champion.version !== null && settings.trainFrom === 'active',
    windows: {
      length: settings.windowLength,
      stride: settings.windowStride,
      forecastFeatures: shape.forecastFeatures,
    },
    heldOut: { by: settings.heldOutBy, fraction: settings.heldOutFraction, seed: settings.seed },
    training: {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      clipNorm: settings.clipNorm > 0 ? settings.clipNorm : undefined,
      earlyStopping:
        settings.patience > 0 ? { patience: settings.patience, minDelta: 0 } : undefined,
      seed: settings.seed,
      signal,
      onProgress: (progress) => logger.debug({ progress }, 'training progress'),
    },
    margin: settings.margin,
    metadata: { trainer: { championVersion: champion.version, seed: settings.seed } },
  };
}

/** Publishes and activates the challenger when it won and the champion is still active. */
async function decide(
  context: RoundContext,
  champion: Champion,
  result: RoundResult,
  trainingWindow: { from: number; to: number },
): Promise<Pick<RoundRecord, 'outcome' | 'reason' | 'version'>> {
  const { registry, settings } = context;
  const { comparison } = result;
  if (!comparison.accept) {
    return {
      outcome: 'rejected',
      reason: rejectionReason(comparison.improvement, settings.margin),
    };
  }
  // Someone may have activated or rolled back a version while this round trained: the
  // challenger only beat the version it was compared with.
  const active = await registry.activeVersion(settings.model);
  if (active !== champion.version) {
    return {
      outcome: 'rejected',
      reason: `the active version changed from ${champion.version} to ${active} during the round`,
    };
  }
  const info = await registry.publish(
    settings.model,
    result.artefact,
    {
      source: 'trainer',
      fingerprint: result.challenger.fingerprint,
      parentVersion:
        result.startedFrom === 'champion' ? (champion.version ?? undefined) : undefined,
      trainingWindow,
      trainingLoss: result.training.trainLoss,
      validationLoss: comparison.challengerLoss,
      note: publishNote(champion.version, result),
    },
    { activate: true },
  );
  return { outcome: 'published', version: info.version };
}

function rejectionReason(improvement: number | null, margin: number): string {
  if (improvement === null) return 'the challenger loss is not finite';
  return `held-out loss ${percent(improvement)} lower, the margin is ${percent(margin)}`;
}

function publishNote(championVersion: number | null, result: RoundResult): string {
  const { championLoss, challengerLoss, improvement } = result.comparison;
  const against = championVersion === null ? 'the untrained model' : `version ${championVersion}`;
  return `held-out MSE ${challengerLoss.toPrecision(4)} vs ${championLoss?.toPrecision(4)} of ${against} (${improvement === null ? 'n/a' : percent(improvement)} lower), from ${result.startedFrom}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

function skipped(
  model: string,
  championVersion: number | null,
  reason: string,
  seconds: number,
): RoundRecord {
  return { model, outcome: 'skipped', reason, championVersion, seconds, at: Date.now() };
}

/** Oldest and newest event time over the buffer, epoch ms. */
function eventTimeSpan(source: EventSource): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const key of source.keys()) {
    for (const event of source.events(key)) {
      from = Math.min(from, event.eventTime);
      to = Math.max(to, event.eventTime);
    }
  }
  return { from, to };
}

async function finish(context: RoundContext, round: RoundRecord): Promise<RoundRecord> {
  const { recorder, logger } = context;
  if (round.outcome === 'published' || round.outcome === 'rejected') {
    recorder.round(round.outcome, round.seconds);
  }
  if (round.losses) {
    // Version 0: the candidate of a rejected round, which has no version.
    recorder.loss('training', round.version ?? 0, round.losses.training);
    recorder.loss('validation', round.version ?? 0, round.losses.challenger);
  }
  await context.log.record(round);
  logger.info({ round }, `round ${round.outcome}`);
  return round;
}

/** Counts, logs and records a round that threw; never throws itself (the log is best effort). */
export async function recordFailedRound(
  context: Omit<RoundContext, 'intake'>,
  error: unknown,
  seconds: number,
): Promise<void> {
  context.recorder.round('failed', seconds);
  context.logger.error({ err: error }, 'round failed');
  try {
    await context.log.record({
      model: context.settings.model,
      outcome: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      championVersion: null,
      seconds,
      at: Date.now(),
    });
  } catch (logError) {
    context.logger.warn({ err: logError }, 'the failed round could not be recorded');
  }
}
