import { Cluster, type Redis } from 'ioredis';
import { execPerNode } from './node.router.js';
import type { RedisConnection } from '@rnnflow/redis';
import type { StateKeys } from './state.keys.js';
import type { EntityKey, PartitionScope } from './state.types.js';

const SCAN_PAGE = 1000;

/** A stable state key found by a scan. */
export interface ScannedState {
  scope: PartitionScope;
  entity: Buffer;
}

/** Housekeeping on a model's state keys: reset, enumerate, count and weigh them. */
export class StateLifecycle {
  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: StateKeys,
  ) {}

  /**
   * Resets keys of one partition: deletes their stable and pending records (one DEL, one round
   * trip), so their next event starts from zero state. Returns how many Redis keys were removed.
   */
  async deleteStates(scope: PartitionScope, entities: readonly EntityKey[]): Promise<number> {
    if (entities.length === 0) return 0;
    const keys = entities.flatMap((entity) => [
      this.keys.stable(scope, entity),
      this.keys.pending(scope, entity),
    ]);
    const [deleted] = await execPerNode(this.connection, [
      { slotKey: this.keys.epoch(scope), queue: (pipeline) => pipeline.del(...keys) },
    ]);
    return Number(deleted);
  }

  /** Every stable state key of the model (or of one topic), by SCAN on every master. */
  scanStates(topic?: string): AsyncGenerator<ScannedState> {
    return this.scan(this.keys.stablePattern(topic));
  }

  /**
   * The partitions (of one topic, or of every topic) holding a stable state of `entity`: one
   * SCAN of the model's keys on every master, O(keys in Redis), for inspection, not serving.
   */
  async locate(entity: EntityKey, topic?: string): Promise<PartitionScope[]> {
    const wanted = typeof entity === 'string' ? Buffer.from(entity, 'utf8') : entity;
    const scopes: PartitionScope[] = [];
    for await (const state of this.scan(this.keys.entityPattern(entity, topic))) {
      if (state.entity.equals(wanted)) scopes.push(state.scope);
    }
    return scopes;
  }

  private async *scan(match: string | Buffer): AsyncGenerator<ScannedState> {
    for (const node of this.masters()) {
      let cursor = '0';
      do {
        // callBuffer: the pattern may hold an entity's raw bytes, which scanBuffer's types refuse.
        const [nextCursor, found] = (await node.callBuffer(
          'SCAN',
          cursor,
          'MATCH',
          match,
          'COUNT',
          SCAN_PAGE,
        )) as [Buffer, Buffer[]];
        cursor = nextCursor.toString();
        for (const key of found) {
          const parsed = this.keys.parseStable(key);
          if (parsed) yield parsed;
        }
      } while (cursor !== '0');
    }
  }

  /** Number of keys holding a stable state of the model (or of one topic). O(keys in Redis). */
  async countStates(topic?: string): Promise<number> {
    let count = 0;
    for await (const _state of this.scanStates(topic)) count += 1;
    return count;
  }

  /** `MEMORY USAGE` of a key's stable record in bytes (key, value and overhead), or undefined if absent. */
  async memoryUsage(scope: PartitionScope, entity: EntityKey): Promise<number | undefined> {
    const bytes = await this.connection.memory(
      'USAGE',
      this.keys.stable(scope, entity),
      'SAMPLES',
      0,
    );
    return bytes === null ? undefined : Number(bytes);
  }

  private masters(): Redis[] {
    return this.connection instanceof Cluster ? this.connection.nodes('master') : [this.connection];
  }
}
