import type { RedisConnection } from '@rnnflow/redis';

/** How a round ended. `skipped`: nothing was trained (no data, or stopping). */
export type RoundOutcome = 'published' | 'rejected' | 'skipped' | 'failed';

/** One round as recorded: what was compared, the decision and why. Losses are MSE. */
export interface RoundRecord {
  readonly model: string;
  readonly outcome: RoundOutcome;
  /** Why it was rejected, skipped or failed. */
  readonly reason?: string;
  /** The version published (and activated) by the round. */
  readonly version?: number;
  /** The active version the challenger was compared with; null on a fresh deployment. */
  readonly championVersion: number | null;
  readonly startedFrom?: 'champion' | 'scratch';
  readonly losses?: {
    /** Held-out loss of the active model, or of the untrained model when there is none. */
    readonly champion: number | null;
    /** Held-out loss of the new model. */
    readonly challenger: number;
    /** `(champion − challenger) / champion`. */
    readonly improvement: number | null;
    readonly margin: number;
    /** Mean batch loss of the last epoch. */
    readonly training: number;
    /** Loss on the validation windows that decided early stopping, or null without them. */
    readonly validation: number | null;
  };
  readonly windows?: {
    readonly train: number;
    readonly validation: number;
    readonly heldOut: number;
  };
  /** Event-time span of the buffered events, epoch ms. */
  readonly trainingWindow?: { readonly from: number; readonly to: number };
  /** Wall time, seconds. */
  readonly seconds: number;
  /** Epoch ms when the round ended. */
  readonly at: number;
}

/** Rounds kept per model; older ones are trimmed. */
const ROUND_LOG_LENGTH = 100;

/** Redis list of a model's recent rounds, newest first (JSON). The trainer's only key. */
function roundLogKey(model: string): string {
  return `rnnflow:trainer:{${model}}:rounds`;
}

/** The recent rounds of each model in Redis, so rejections stay visible after the process ends. */
export class RoundLog {
  constructor(private readonly redis: RedisConnection) {}

  async record(round: RoundRecord): Promise<void> {
    const key = roundLogKey(round.model);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(round))
      .ltrim(key, 0, ROUND_LOG_LENGTH - 1)
      .exec();
  }

  /** Up to `count` rounds, newest first. */
  async recent(model: string, count = ROUND_LOG_LENGTH): Promise<RoundRecord[]> {
    const entries = await this.redis.lrange(roundLogKey(model), 0, count - 1);
    return entries.map((entry) => JSON.parse(entry) as RoundRecord);
  }
}
