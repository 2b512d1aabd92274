import type { ChainableCommander } from 'ioredis';
import { execPerNode, type RoutedCall } from './node.router.js';
import type { RedisConnection } from '@rnnflow/redis';
import { stateScripts } from './state.scripts.js';
import { encodeState, parseFingerprint, type Precision } from './state.codec.js';
import { StateEncodeError, readScriptReply } from './state.errors.js';
import { StateInstrumentation, type StateEvents } from './state.events.js';
import { StateKeys } from './state.keys.js';
import { StateLifecycle } from './state.lifecycle.js';
import {
  checkPendingTags,
  checkTtl,
  writeResult,
  type ReadRequest,
  type WriteEntry,
  type WriteMode,
  type WriteRequest,
  type WriteResult,
} from './state.requests.js';
import { resolveState } from './state.resolve.js';
import type {
  DiscardOutcome,
  EntityKey,
  FencedScope,
  PartitionScope,
  PromoteOutcome,
  ReadResult,
} from './state.types.js';

/** The model whose states a store holds. */
export interface StateModel {
  /** Model name, `[A-Za-z0-9._-]`; part of every key. */
  name: string;
  /** Architecture fingerprint, ≥ 16 hex digits (the first 16 are stored in every record). */
  fingerprint: string;
  /** State vector lengths in order, e.g. `[64, 64]` for one LSTM layer of 64 units (h, c). */
  layout: readonly number[];
}

export interface StateStoreOptions {
  connection: RedisConnection;
  model: StateModel;
  /**
   * Storage precision of state values; default `float32`. Part of the states' identity, like the
   * fingerprint: records of the other precision read as `corrupt` (`foreign-precision`).
   */
  precision?: Precision;
  /** Expire keys idle for this many ms (refreshed on every write); default 0 = never. */
  idleTtlMs?: number;
  /** `reset` (default) deletes an unusable stored record when it is read; `report` only reports it. */
  onCorrupt?: 'reset' | 'report';
  /** First part of every key, `[A-Za-z0-9._-]`; default `rnnflow`. */
  keyPrefix?: string;
  /** Where the store's events go; share one among a service's stores. Default: its own. */
  instrumentation?: StateInstrumentation;
}

/**
 * Per-key recurrent state in Redis: batch reads and writes with idempotence (offsets) and fencing
 * (epochs) done atomically per partition by Lua scripts, one round trip per Redis node per batch.
 */
export class StateStore {
  readonly keys: StateKeys;
  /** Key deletion, scanning, counting and memory accounting. */
  readonly lifecycle: StateLifecycle;
  private readonly connection: RedisConnection;
  private readonly fingerprint: Buffer;
  private readonly layout: readonly number[];
  private readonly precision: Precision;
  private readonly idleTtlMs: number;
  private readonly resetCorrupt: boolean;
  private readonly events: StateInstrumentation;

  constructor(options: StateStoreOptions) {
    this.connection = options.connection;
    this.keys = new StateKeys(options.model.name, options.keyPrefix);
    this.fingerprint = parseFingerprint(options.model.fingerprint);
    this.layout = [...options.model.layout];
    this.precision = options.precision ?? 'float32';
    this.idleTtlMs = checkTtl(options.idleTtlMs ?? 0);
    this.resetCorrupt = (options.onCorrupt ?? 'reset') === 'reset';
    this.lifecycle = new StateLifecycle(this.connection, this.keys);
    this.events = options.instrumentation ?? new StateInstrumentation();
    stateScripts.prepare(this.connection);
  }

  /** Subscribes to instrumentation events; returns the unsubscribe function. */
  on<E extends keyof StateEvents>(
    event: E,
    listener: (payload: StateEvents[E]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Takes the partition's next fencing epoch (INCR). Call it when the consumer is assigned the
   * partition and pass the result in every write: writers holding an older epoch are fenced.
   */
  async acquireEpoch(scope: PartitionScope): Promise<number> {
    return this.connection.incr(this.keys.epoch(scope));
  }

  /** Reads the states of `keys` of one partition (one round trip). */
  async readStates(
    scope: PartitionScope,
    keys: readonly EntityKey[],
    options: { committedOffset?: number } = {},
  ): Promise<ReadResult[]> {
    const [results] = await this.readBatches([
      { scope, keys, committedOffset: options.committedOffset },
    ]);
    return results;
  }

  /** Reads several partitions' keys: one MGET per partition, pipelined per node. */
  async readBatches(requests: readonly ReadRequest[]): Promise<ReadResult[][]> {
    const active = requests.filter((request) => request.keys.length > 0);
    const started = performance.now();
    const replies = await execPerNode(
      this.connection,
      active.map((request) => this.mgetCall(request)),
    );
    const seconds = (performance.now() - started) / 1000;
    const resets: RoutedCall[] = [];
    let next = 0;
    const results = requests.map((request) =>
      request.keys.length === 0
        ? []
        : this.resolveReply(request, replies[next++] as (Buffer | null)[], resets),
    );
    if (resets.length > 0) await execPerNode(this.connection, resets);
    if (active.length > 0) this.events.emit('read', { seconds, ...countReads(results) });
    return results;
  }

  private mgetCall(request: ReadRequest): RoutedCall {
    const withPending = request.committedOffset !== undefined;
    const keys = request.keys.flatMap((key) =>
      withPending
        ? [this.keys.stable(request.scope, key), this.keys.pending(request.scope, key)]
        : [this.keys.stable(request.scope, key)],
    );
    return {
      slotKey: this.keys.epoch(request.scope),
      queue: (pipeline) => pipeline.mgetBuffer(...keys),
    };
  }

  private resolveReply(
    request: ReadRequest,
    values: (Buffer | null)[],
    resets: RoutedCall[],
  ): ReadResult[] {
    const stride = request.committedOffset === undefined ? 1 : 2;
    const decodeOptions = {
      fingerprint: this.fingerprint,
      layout: this.layout,
      precision: this.precision,
    };
    return request.keys.map((key, index) => {
      const stable = values[index * stride];
      const pending = stride === 2 ? values[index * stride + 1] : null;
      const { state, corrupt } = resolveState(
        stable,
        pending,
        request.committedOffset,
        decodeOptions,
      );
      for (const part of corrupt) {
        const storedKey =
          part.part === 'stable'
            ? this.keys.stable(request.scope, key)
            : this.keys.pending(request.scope, key);
        const value = part.part === 'stable' ? stable : pending;
        if (this.resetCorrupt && value)
          resets.push(this.deleteIfUnchanged(request.scope, storedKey, value));
        this.events.emit('corrupt', {
          scope: request.scope,
          key: storedKey,
          reason: part.reason,
          reset: this.resetCorrupt,
        });
      }
      if (state) return { status: 'found', record: state.record, source: state.source };
      if (corrupt.length > 0) {
        return {
          status: 'corrupt',
          reason: corrupt[0].reason,
          message: corrupt[0].message,
          reset: this.resetCorrupt,
        };
      }
      return { status: 'missing' };
    });
  }

  private deleteIfUnchanged(scope: PartitionScope, key: Buffer, value: Buffer): RoutedCall {
    return {
      slotKey: this.keys.epoch(scope),
      queue: (pipeline) => stateScripts.call(pipeline, 'deleteIfUnchanged', [key], [value]),
    };
  }

  /** Writes the states of one partition (one round trip); see `writeBatches`. */
  async writeStates(
    scope: FencedScope,
    entries: readonly WriteEntry[],
    options: WriteMode & { ttlMs?: number } = { mode: 'stable' },
  ): Promise<WriteResult> {
    const [result] = await this.writeBatches([{ ...options, scope, entries }]);
    return result;
  }

  /**
   * Writes several partitions' states: one script call per partition, pipelined per node. Per
   * partition the script applies a key only if its record's offset is newer than the stored one
   * (`stale` otherwise: a replay), and nothing at all if the epoch is not current (`fenced`).
   *
   * Each partition is atomic, the batch as a whole is not: after a StateUnavailableError some
   * partitions may be written. Retrying the same batch is safe — those keys come back `stale`.
   */
  async writeBatches(requests: readonly WriteRequest[]): Promise<WriteResult[]> {
    const active = requests.filter((request) => request.entries.length > 0);
    const started = performance.now();
    const replies = await execPerNode(
      this.connection,
      active.map((request) => this.writeCall(request)),
    );
    const seconds = (performance.now() - started) / 1000;
    let next = 0;
    const results = requests.map((request) => {
      if (request.entries.length === 0)
        return { outcomes: [], applied: 0, stale: 0, fenced: false };
      const codes = readScriptReply(
        replies[next++],
        request.mode === 'stable' ? 'writeStable' : 'writePending',
      );
      if (codes === 'fenced') this.emitFenced(request.scope, 'write');
      return writeResult(codes, request.entries.length);
    });
    if (active.length > 0) this.events.emit('write', { seconds, ...countWrites(results) });
    return results;
  }

  private writeCall(request: WriteRequest): RoutedCall {
    const { scope } = request;
    if (request.mode === 'pending') checkPendingTags(request);
    const records = request.entries.map((entry) => this.encode(entry));
    const ttl = checkTtl(request.ttlMs ?? this.idleTtlMs);
    const epochKey = this.keys.epoch(scope);
    const queue =
      request.mode === 'stable'
        ? (pipeline: ChainableCommander) =>
            stateScripts.call(
              pipeline,
              'writeStable',
              [epochKey, ...request.entries.map((entry) => this.keys.stable(scope, entry.key))],
              [scope.epoch, ttl, ...records],
            )
        : (pipeline: ChainableCommander) =>
            stateScripts.call(
              pipeline,
              'writePending',
              [
                epochKey,
                ...this.stableAndPendingKeys(
                  scope,
                  request.entries.map((entry) => entry.key),
                ),
              ],
              [scope.epoch, ttl, request.batchTag, request.committedOffset, ...records],
            );
    return { slotKey: epochKey, queue };
  }

  private encode(entry: WriteEntry): Buffer {
    try {
      return encodeState(entry.record, {
        fingerprint: this.fingerprint,
        precision: this.precision,
      });
    } catch (error) {
      throw new StateEncodeError(
        `cannot encode the state of key ${String(entry.key)}: ${String(error)}`,
        error,
      );
    }
  }

  /**
   * After the producer transaction committed (the group's committed offset is now C), makes the
   * pending records tagged L < C stable. Fenced like a write; uncommitted pendings are left alone.
   */
  async promotePending(
    scope: FencedScope,
    keys: readonly EntityKey[],
    committedOffset: number,
    options: { ttlMs?: number } = {},
  ): Promise<PromoteOutcome[]> {
    const ttl = checkTtl(options.ttlMs ?? this.idleTtlMs);
    const codes = await this.runPendingScript(
      scope,
      'promotePending',
      this.stableAndPendingKeys(scope, keys),
      [scope.epoch, committedOffset, ttl],
    );
    return codes === 'fenced'
      ? keys.map(() => 'fenced')
      : codes.map((code) => (code === 1 ? 'promoted' : code === 0 ? 'stale' : 'none'));
  }

  /** After the producer transaction aborted, deletes the uncommitted pending records (tag L ≥ C). */
  async discardPending(
    scope: FencedScope,
    keys: readonly EntityKey[],
    committedOffset: number,
  ): Promise<DiscardOutcome[]> {
    const codes = await this.runPendingScript(
      scope,
      'discardPending',
      keys.map((key) => this.keys.pending(scope, key)),
      [scope.epoch, committedOffset],
    );
    return codes === 'fenced'
      ? keys.map(() => 'fenced')
      : codes.map((code) => (code === 1 ? 'discarded' : code === 0 ? 'kept-committed' : 'none'));
  }

  /** Runs a pending-records script on one partition: `keys` are its KEYS after the epoch key. */
  private async runPendingScript(
    scope: FencedScope,
    name: 'promotePending' | 'discardPending',
    keys: Buffer[],
    args: (string | number)[],
  ): Promise<number[] | 'fenced'> {
    if (keys.length === 0) return [];
    const epochKey = this.keys.epoch(scope);
    const [reply] = await execPerNode(this.connection, [
      {
        slotKey: epochKey,
        queue: (pipeline) => stateScripts.call(pipeline, name, [epochKey, ...keys], args),
      },
    ]);
    const codes = readScriptReply(reply, name);
    if (codes === 'fenced') {
      this.emitFenced(scope, name === 'promotePending' ? 'promote' : 'discard');
    }
    return codes;
  }

  private stableAndPendingKeys(scope: PartitionScope, keys: readonly EntityKey[]): Buffer[] {
    return keys.flatMap((key) => [this.keys.stable(scope, key), this.keys.pending(scope, key)]);
  }

  private emitFenced(scope: FencedScope, operation: StateEvents['fenced']['operation']): void {
    this.events.emit('fenced', {
      scope: { topic: scope.topic, partition: scope.partition },
      epoch: scope.epoch,
      operation,
    });
  }
}

/** Keys found, missing and corrupt over every partition of a read. */
function countReads(results: readonly ReadResult[][]): Omit<StateEvents['read'], 'seconds'> {
  const counts = { found: 0, missing: 0, corrupt: 0 };
  for (const partition of results) for (const result of partition) counts[result.status] += 1;
  return counts;
}

/** Keys applied, stale and fenced over every partition of a write. */
function countWrites(results: readonly WriteResult[]): Omit<StateEvents['write'], 'seconds'> {
  const counts = { applied: 0, stale: 0, fenced: 0 };
  for (const result of results) {
    counts.applied += result.applied;
    counts.stale += result.stale;
    if (result.fenced) counts.fenced += result.outcomes.length;
  }
  return counts;
}
