import type { RedisConnection } from '@rnnflow/redis';
import {
  nothingToRollBack,
  readScriptReply,
  RegistryError,
  unknownVersion,
} from './registry.errors.js';
import { registryKeys, type RegistryKeys } from './registry.keys.js';
import { registryScripts } from './registry.scripts.js';
import type { NewVersion, VersionInfo } from './version.info.js';

export interface RegistryOptions {
  /** How many versions to keep per model (the active one is always kept). Default 20. */
  retention?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const MODEL_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const DEFAULT_RETENTION = 20;

/**
 * Versions of models in Redis: per model name, increasing integer versions holding an artefact
 * (opaque bytes here; `@rnnflow/cells` reads them) and metadata, an active pointer that
 * predictors serve, and the activation history that rollback walks back.
 */
export class ModelRegistry {
  private readonly retention: number;
  private readonly now: () => number;

  constructor(
    readonly redis: RedisConnection,
    options: RegistryOptions = {},
  ) {
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.now = options.now ?? Date.now;
    registryScripts.prepare(redis);
  }

  /** Stores a new version; activates it when asked. Prunes versions beyond retention. */
  async publish(
    model: string,
    artefact: Uint8Array,
    details: NewVersion,
    options: { activate?: boolean } = {},
  ): Promise<VersionInfo> {
    const keys = keysOf(model);
    const version = await this.redis.incr(keys.nextVersion);
    const info: VersionInfo = {
      ...details,
      model,
      version,
      createdAt: this.now(),
      sizeBytes: artefact.byteLength,
    };
    await this.redis
      .multi()
      .hset(keys.version(version), 'artefact', Buffer.from(artefact), 'info', JSON.stringify(info))
      .zadd(keys.versions, version, String(version))
      .exec();
    if (options.activate) await this.activate(model, version);
    await this.prune(model);
    return info;
  }

  /** Every kept version, oldest first. */
  async list(model: string): Promise<VersionInfo[]> {
    const keys = keysOf(model);
    const versions = await this.redis.zrange(keys.versions, '0', '-1');
    if (versions.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const version of versions) pipeline.hget(keys.version(Number(version)), 'info');
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([, info]) =>
      typeof info === 'string' ? [JSON.parse(info) as VersionInfo] : [],
    );
  }

  async info(model: string, version: number): Promise<VersionInfo> {
    const info = await this.redis.hget(keysOf(model).version(version), 'info');
    if (info === null) throw unknownVersion(model, version);
    return JSON.parse(info) as VersionInfo;
  }

  async artefact(model: string, version: number): Promise<Buffer> {
    const artefact = await this.redis.hgetBuffer(keysOf(model).version(version), 'artefact');
    if (artefact === null) throw unknownVersion(model, version);
    return artefact;
  }

  /** The active version, or null when the model has none. */
  async activeVersion(model: string): Promise<number | null> {
    const active = await this.redis.get(keysOf(model).active);
    return active === null ? null : Number(active);
  }

  /** Like `activeVersion`, but a model without an active version is an error that says what to do. */
  async requireActiveVersion(model: string): Promise<number> {
    const active = await this.activeVersion(model);
    if (active !== null) return active;
    throw new RegistryError(
      'REGISTRY_NO_ACTIVE_VERSION',
      `model "${model}" has no active version: import one with \`rnnflow model import --model ${model} --from DIR --activate\`, or activate one with \`rnnflow model activate --model ${model} --version V\``,
    );
  }

  /** Makes `version` active and announces it; returns the version active before (null if none). */
  async activate(model: string, version: number): Promise<number | null> {
    const keys = keysOf(model);
    const reply = await registryScripts.call(
      this.redis,
      'activateVersion',
      [keys.active, keys.history, keys.version(version)],
      [version, keys.activatedChannel, this.retention],
    );
    const previous = readScriptReply(reply, model, version);
    return previous === 0 ? null : previous;
  }

  /** Re-activates the version that was active before the current one; returns it. */
  async rollback(model: string): Promise<number> {
    const keys = keysOf(model);
    const target = await this.redis.lindex(keys.history, 0);
    if (target === null) throw nothingToRollBack(model);
    const reply = await registryScripts.call(
      this.redis,
      'rollbackVersion',
      [keys.active, keys.history, keys.version(Number(target))],
      [target, keys.activatedChannel],
    );
    readScriptReply(reply, model, Number(target));
    return Number(target);
  }

  private async prune(model: string): Promise<void> {
    const keys = keysOf(model);
    const [versions, active] = await Promise.all([
      this.redis.zrange(keys.versions, '0', String(-(this.retention + 1))),
      this.activeVersion(model),
    ]);
    const doomed = versions.map(Number).filter((version) => version !== active);
    if (doomed.length === 0) return;
    await this.redis
      .multi()
      .del(...doomed.map((version) => keys.version(version)))
      .zrem(keys.versions, ...doomed.map(String))
      .exec();
  }
}

/** Validates the model name before it becomes part of a key. */
export function keysOf(model: string): RegistryKeys {
  if (!MODEL_NAME.test(model)) {
    throw new RegistryError(
      'REGISTRY_BAD_MODEL_NAME',
      `model name ${JSON.stringify(model)} is not allowed: use 1-64 letters, digits, ".", "_" or "-"`,
    );
  }
  return registryKeys(model);
}
