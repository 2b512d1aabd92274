import type { ModelRegistry } from './model.registry.js';
import { keysOf } from './model.registry.js';
import type { RedisConnection } from '@rnnflow/redis';

export interface WatchOptions {
  /** The version the caller already serves; only changes from it are reported. */
  currentVersion: number | null;
  /** Fallback poll of the active pointer, since pub/sub drops messages while disconnected. Default 2000 ms. */
  pollMs?: number;
  /** Called when the watcher cannot reach Redis; watching goes on. */
  onError?: (error: unknown) => void;
}

export interface ActivationWatcher {
  stop(): Promise<void>;
}

/**
 * Reports each change of a model's active version once: at once through pub/sub, and within
 * `pollMs` through polling when a message was lost. Rollbacks are changes like any other.
 */
export async function watchActivations(
  registry: ModelRegistry,
  model: string,
  onActivated: (version: number) => void,
  options: WatchOptions,
): Promise<ActivationWatcher> {
  const keys = keysOf(model);
  let current = options.currentVersion;
  const report = (version: number | null) => {
    if (version === null || version === current) return;
    current = version;
    onActivated(version);
  };
  const onError = options.onError ?? (() => {});
  const poll = () => registry.activeVersion(model).then(report, onError);

  // duplicate() exists on both Redis and Cluster; their signatures differ only in options.
  const subscriber = (registry.redis.duplicate as () => RedisConnection).call(registry.redis);
  subscriber.on('error', onError);
  // The message only says "something changed": the pointer itself is the truth, so a message
  // that arrives after a quick second activation cannot move us backwards.
  subscriber.on('message', () => void poll());
  await subscriber.subscribe(keys.activatedChannel);
  const timer = setInterval(poll, options.pollMs ?? 2000);
  timer.unref();
  await poll();

  return {
    async stop() {
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}
