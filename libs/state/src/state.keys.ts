import type { EntityKey, PartitionScope } from './state.types.js';

/**
 * Every Redis key this library touches, in one place.
 *
 *   <prefix>:{<model>:<topic>:<partition>}:s:<entity>   stable state record
 *   <prefix>:{<model>:<topic>:<partition>}:p:<entity>   pending record (8-byte tag + record)
 *   <prefix>:{<model>:<topic>:<partition>}:epoch        fencing epoch of the partition
 *
 * The hash tag puts every key of one Kafka partition in one Redis Cluster slot, so one Lua call can
 * check the epoch and every key's offset atomically (scripts must not cross slots), and a batch costs
 * one call per partition. Trade-off: the partition is part of the key, so changing the topic's
 * partition count re-partitions entities and their state would need a migration to the new keys.
 *
 * Model and prefix are restricted to `[A-Za-z0-9._-]` and the topic to Kafka's own topic alphabet
 * (the same set), so keys parse back unambiguously and carry no SCAN glob characters. The entity
 * comes last and may be any bytes, braces included: Redis hashes only the first `{…}`.
 */
export class StateKeys {
  private readonly prefix: string;
  private readonly model: string;

  constructor(model: string, prefix = 'rnnflow') {
    checkName('model name', model);
    checkName('key prefix', prefix);
    this.model = model;
    this.prefix = prefix;
  }

  /** `<prefix>:{<model>:<topic>:<partition>}`: the common part, which also fixes the slot. */
  partitionTag(scope: PartitionScope): string {
    checkName('topic', scope.topic);
    if (!Number.isInteger(scope.partition) || scope.partition < 0) {
      throw new RangeError(`partition must be a whole number ≥ 0, got ${scope.partition}`);
    }
    return `${this.prefix}:{${this.model}:${scope.topic}:${scope.partition}}`;
  }

  epoch(scope: PartitionScope): string {
    return `${this.partitionTag(scope)}:epoch`;
  }

  stable(scope: PartitionScope, entity: EntityKey): Buffer {
    return entityKey(`${this.partitionTag(scope)}:s:`, entity);
  }

  pending(scope: PartitionScope, entity: EntityKey): Buffer {
    return entityKey(`${this.partitionTag(scope)}:p:`, entity);
  }

  /** SCAN pattern for the stable keys of this model, optionally of one topic. */
  stablePattern(topic?: string): string {
    if (topic !== undefined) checkName('topic', topic);
    return `${this.prefix}:{${this.model}:${topic ?? '*'}:*}:s:*`;
  }

  /**
   * SCAN pattern for the stable keys of one entity in every partition (of one topic, or of all):
   * the entity's bytes with the glob characters escaped, so it matches that entity only.
   */
  entityPattern(entity: EntityKey, topic?: string): Buffer {
    if (topic !== undefined) checkName('topic', topic);
    const head = `${this.prefix}:{${this.model}:${topic ?? '*'}:*}:s:`;
    return Buffer.concat([Buffer.from(head, 'utf8'), escapeGlob(entityBytes(entity))]);
  }

  /** Splits a stable key found by SCAN back into its scope and entity, or undefined if not ours. */
  parseStable(key: Buffer): { scope: PartitionScope; entity: Buffer } | undefined {
    const head = `${this.prefix}:{${this.model}:`;
    const close = key.indexOf('}');
    if (!key.subarray(0, head.length).equals(Buffer.from(head)) || close < 0) return undefined;
    const match = /^(.+):(\d+)$/.exec(key.toString('utf8', head.length, close));
    const marker = key.toString('utf8', close, close + 4);
    if (!match || marker !== '}:s:') return undefined;
    return {
      scope: { topic: match[1], partition: Number(match[2]) },
      entity: key.subarray(close + 4),
    };
  }
}

const NAME = /^[A-Za-z0-9._-]{1,249}$/;
const MAX_ENTITY_BYTES = 256;

function checkName(what: string, value: string): void {
  if (!NAME.test(value)) throw new RangeError(`${what} must match ${NAME}, got "${value}"`);
}

function entityBytes(entity: EntityKey): Buffer {
  const bytes = typeof entity === 'string' ? Buffer.from(entity, 'utf8') : entity;
  if (bytes.length < 1 || bytes.length > MAX_ENTITY_BYTES) {
    throw new RangeError(`entity key must be 1–${MAX_ENTITY_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function entityKey(head: string, entity: EntityKey): Buffer {
  return Buffer.concat([Buffer.from(head, 'utf8'), entityBytes(entity)]);
}

/** Redis glob metacharacters: * ? [ ] and the escape itself. */
const GLOB_SPECIAL = new Set([0x2a, 0x3f, 0x5b, 0x5d, 0x5c]);

function escapeGlob(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of bytes) {
    if (GLOB_SPECIAL.has(byte)) out.push(0x5c);
    out.push(byte);
  }
  return Buffer.from(out);
}
