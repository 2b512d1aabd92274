import type { RecurrentModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import { watchActivations, type ActivationWatcher, type ModelRegistry } from '@rnnflow/registry';
import type { StateStore } from '@rnnflow/state';
import { loadServingModel } from './model.loader.js';
import type { ServingModel } from './serving.model.js';

export interface SwapperOptions {
  registry: ModelRegistry;
  metrics: PredictorMetrics;
  logger: Logger;
  storeFor: (model: RecurrentModel) => StateStore;
  /** Fallback poll of the active version when a pub/sub message is lost, ms. */
  pollMs?: number;
}

/**
 * Follows the registry's active version and swaps it in: each batch reads `current()` once, so a
 * swap lands between batches, and a version that fails validation is refused while the current
 * one keeps serving. Swaps run one after another in activation order.
 */
export class ModelSwapper {
  private serving: ServingModel;
  private queue: Promise<void> = Promise.resolve();
  private watcher: ActivationWatcher | undefined;

  constructor(
    initial: ServingModel,
    private readonly options: SwapperOptions,
  ) {
    this.serving = initial;
  }

  current(): ServingModel {
    return this.serving;
  }

  async start(): Promise<void> {
    const { registry, logger } = this.options;
    this.watcher = await watchActivations(
      registry,
      this.serving.name,
      (version) => this.enqueue(version),
      {
        currentVersion: this.serving.version,
        pollMs: this.options.pollMs ?? 1000,
        onError: (error) =>
          logger.warn({ err: error }, 'cannot read the active model version; retrying'),
      },
    );
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
    await this.queue;
  }

  private enqueue(version: number): void {
    this.queue = this.queue.then(() => this.swapTo(version));
  }

  private async swapTo(version: number): Promise<void> {
    const { registry, metrics, logger, storeFor } = this.options;
    const previous = this.serving;
    try {
      this.serving = await loadServingModel(
        registry,
        previous.name,
        version,
        storeFor,
        previous.inputSize,
      );
    } catch (error) {
      metrics.modelSwap('refused');
      logger.error(
        { err: error, version, serving: previous.version },
        'refused a new model version; the current one keeps serving',
      );
      return;
    }
    metrics.modelSwap('swapped');
    metrics.activeModelVersion(previous.name, version);
    const sameArchitecture = previous.recurrent.fingerprint === this.serving.recurrent.fingerprint;
    logger.info({ from: previous.version, to: version, sameArchitecture }, 'swapped model version');
  }
}
