/**
 * Redis memory per key as a running predictor makes it grow: `used_memory` before and after
 * writing KEYS states through the store, on an otherwise empty Redis, with the predictor's key
 * names (model `default`, topic `events`, 3 partitions, simulator entities `sensor-000000`…)
 * and its record (one LSTM layer of 64 units plus the last output of one value). Alongside, what
 * each part costs in jemalloc's size classes, so the total can be explained to the byte.
 */
import type { RedisConnection } from '@rnnflow/redis';
import { StateStore, type Precision, type StateRecord } from '../src/index.js';

const KEYS = 2000;
/** Keys per write call. */
const BATCH = 100;
const UNITS = 64;
const PARTITIONS = 3;
const TOPIC = 'events';
const FINGERPRINT = 'b3c4a1e9d2f00817';

/** jemalloc's small size classes up to 4 KiB (bytes). */
const SIZE_CLASSES = [
  8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
  1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096,
];

export interface MemoryGrowth {
  precision: Precision;
  keys: number;
  /** used_memory growth over `keys` states, per key. */
  usedMemoryPerKey: number;
  /** MEMORY USAGE of one state key (Redis counts its dict entry at 24 bytes, not the 32 it takes). */
  memoryUsage: number;
  valueBytes: number;
  keyBytes: number;
  /** Allocations per key: value and key strings in their size classes, and the fixed parts. */
  parts: {
    value: number;
    key: number;
    object: number;
    dictEntry: number;
    buckets: number;
  };
}

/** The jemalloc size class an allocation of `bytes` lands in. */
function sizeClass(bytes: number): number {
  return SIZE_CLASSES.find((size) => size >= bytes) ?? Math.ceil(bytes / 4096) * 4096;
}

/** Bytes Redis allocates for a string of `length` bytes (sds header, terminating zero). */
function sdsBytes(length: number): number {
  const header = length < 256 ? 3 : length < 65536 ? 5 : 9;
  return sizeClass(header + length + 1);
}

function record(offset: number): StateRecord {
  const vector = () => Float32Array.from({ length: UNITS }, () => Math.random() * 2 - 1);
  return {
    modelVersion: 1,
    step: offset + 1,
    offset,
    updatedAtMs: Date.now(),
    ended: false,
    vectors: [vector(), vector()],
    lastOutput: Float32Array.of(Math.random()),
  };
}

async function usedMemory(redis: RedisConnection): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

const entity = (index: number) => `sensor-${String(index).padStart(6, '0')}`;

/**
 * Measures one precision on `redis`, which it empties first (FLUSHALL): give it a Redis of its
 * own. The scripts are loaded and the epochs taken before the first reading.
 */
export async function memoryGrowth(
  redis: RedisConnection,
  precision: Precision,
): Promise<MemoryGrowth> {
  const store = new StateStore({
    connection: redis,
    model: { name: 'default', fingerprint: FINGERPRINT, layout: [UNITS, UNITS] },
    precision,
  });
  const scopes = await Promise.all(
    Array.from({ length: PARTITIONS }, async (_, partition) => ({
      topic: TOPIC,
      partition,
      epoch: await store.acquireEpoch({ topic: TOPIC, partition }),
    })),
  );
  await store.writeStates(scopes[0], [{ key: 'warm-up', record: record(0) }]);
  await redis.flushall();
  for (const scope of scopes) scope.epoch = await store.acquireEpoch(scope);
  const before = await usedMemory(redis);
  // Batches of predictor size: one huge call would leave a megabyte-sized query buffer behind.
  for (let first = 0; first < KEYS; first += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, KEYS - first) }, (_, i) => first + i);
    await store.writeBatches(
      scopes.map((scope) => ({
        mode: 'stable',
        scope,
        entries: indices
          .filter((index) => index % PARTITIONS === scope.partition)
          .map((index) => ({ key: entity(index), record: record(1) })),
      })),
    );
  }
  const after = await usedMemory(redis);
  const sampleKey = store.keys.stable(scopes[0], entity(0));
  const valueBytes = await redis.strlen(sampleKey);
  const memoryUsage = Number(await redis.memory('USAGE', sampleKey, 'SAMPLES', 0));
  const buckets = 2 ** Math.ceil(Math.log2(KEYS + PARTITIONS));
  await redis.flushall();
  return {
    precision,
    keys: KEYS,
    usedMemoryPerKey: (after - before) / KEYS,
    memoryUsage,
    valueBytes,
    keyBytes: sampleKey.length,
    parts: {
      value: sdsBytes(valueBytes),
      key: sdsBytes(sampleKey.length),
      object: 16,
      dictEntry: sizeClass(24),
      buckets: (8 * buckets) / KEYS,
    },
  };
}

export function printMemoryGrowth(rows: readonly MemoryGrowth[]): void {
  console.log(
    `\n| precision | used_memory growth per key (${KEYS} keys) | MEMORY USAGE | value bytes → class | key bytes → class | object + dict entry + buckets |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const { parts } = row;
    console.log(
      `| ${row.precision} | ${row.usedMemoryPerKey.toFixed(1)} | ${row.memoryUsage} | ${row.valueBytes} → ${parts.value} | ${row.keyBytes} → ${parts.key} | ${parts.object} + ${parts.dictEntry} + ${parts.buckets.toFixed(1)} |`,
    );
  }
}
