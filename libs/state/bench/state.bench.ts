/**
 * State store benchmark: read and write throughput for 1k and 10k states per batch, on an own
 * single redis-server and an own 3-master cluster, plus Redis bytes per key (MEMORY USAGE).
 *
 *   npx tsx libs/state/bench/state.bench.ts        (or: npm run bench -w libs/state)
 *
 * Then `used_memory` growth per key for each precision, with where its bytes go
 * (memory.growth.ts); `--memory` runs only that part.
 *
 * Baseline measured in the same run on the same servers: the same bytes written and read with
 * plain pipelined SET / MGET (no Lua, no offset or epoch checks), so the cost of the atomic checks
 * shows up whatever the load on the (shared, noisy) machine.
 */
import { startRedis, startRedisCluster } from '@rnnflow/devstack';
import {
  StateStore,
  createRedisConnection,
  encodeState,
  parseFingerprint,
  type Precision,
  type RedisConnection,
  type StateRecord,
} from '../src/index.js';
import type { RedisConnectionOptions } from '../src/redis.connection.js';
import type { WriteRequest } from '../src/state.requests.js';
import { memoryGrowth, printMemoryGrowth, type MemoryGrowth } from './memory.growth.js';

const UNITS = 64;
const LAYOUT = [UNITS, UNITS];
const FINGERPRINT = 'b3c4a1e9d2f00817';
const PARTITIONS = 12;
const BATCH_SIZES = [1_000, 10_000];
const ROUNDS = 5;
const MEMORY_SAMPLE = 200;
const TOPIC = 'user-events';

interface Row {
  target: string;
  batch: number;
  writeStatesPerSec: number;
  readStatesPerSec: number;
  baselineWritePerSec: number;
  baselineReadPerSec: number;
}

function record(offset: number): StateRecord {
  const vector = () => Float32Array.from({ length: UNITS }, () => Math.random() * 2 - 1);
  return {
    modelVersion: 7,
    step: offset + 1,
    offset,
    updatedAtMs: Date.now(),
    ended: false,
    vectors: [vector(), vector()],
  };
}

const entity = (index: number) => `user-${String(index).padStart(7, '0')}`;

/** The batch's keys spread over the partitions, as a predictor batch of several partitions is. */
function partitionOf(index: number): number {
  return index % PARTITIONS;
}

async function withEpochs(store: StateStore) {
  return Promise.all(
    Array.from({ length: PARTITIONS }, async (_, partition) => ({
      topic: TOPIC,
      partition,
      epoch: await store.acquireEpoch({ topic: TOPIC, partition }),
    })),
  );
}

function writeRequests(
  scopes: Awaited<ReturnType<typeof withEpochs>>,
  batch: number,
  offset: number,
): WriteRequest[] {
  return scopes.map((scope) => ({
    mode: 'stable',
    scope,
    entries: Array.from({ length: batch }, (_, index) => index)
      .filter((index) => partitionOf(index) === scope.partition)
      .map((index) => ({ key: entity(index), record: record(offset) })),
  }));
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measureStore(redis: RedisConnection, target: string, batch: number): Promise<Row> {
  const store = new StateStore({
    connection: redis,
    model: { name: 'bench', fingerprint: FINGERPRINT, layout: LAYOUT },
  });
  const scopes = await withEpochs(store);
  const reads = scopes.map((scope) => ({
    scope,
    keys: Array.from({ length: batch }, (_, index) => index)
      .filter((index) => partitionOf(index) === scope.partition)
      .map(entity),
  }));
  let writeSeconds = 0;
  let readSeconds = 0;
  // Round 0 warms the JIT, the sockets and the script cache; it is not counted.
  for (let round = 0; round <= ROUNDS; round += 1) {
    const requests = writeRequests(scopes, batch, round);
    const writing = await timed(() => store.writeBatches(requests));
    const reading = await timed(() => store.readBatches(reads));
    if (round === 0) continue;
    writeSeconds += writing;
    readSeconds += reading;
  }
  const baseline = await measureBaseline(redis, store, reads, batch);
  return {
    target,
    batch,
    writeStatesPerSec: (batch * ROUNDS) / writeSeconds,
    readStatesPerSec: (batch * ROUNDS) / readSeconds,
    ...baseline,
  };
}

/** Plain SET / MGET of the same blobs under other keys of the same slots, one pipeline per node. */
async function measureBaseline(
  redis: RedisConnection,
  store: StateStore,
  reads: { scope: { topic: string; partition: number }; keys: string[] }[],
  batch: number,
) {
  const fingerprint = parseFingerprint(FINGERPRINT);
  const keysOf = reads.map((read) => read.keys.map((key) => store.keys.pending(read.scope, key)));
  let writeSeconds = 0;
  let readSeconds = 0;
  for (let round = 0; round <= ROUNDS; round += 1) {
    const blobs = keysOf.map((keys) =>
      keys.map(() => encodeState(record(round), { fingerprint, precision: 'float32' })),
    );
    const writing = await timed(() =>
      Promise.all(
        keysOf.map((keys, which) => {
          const pipeline = redis.pipeline();
          keys.forEach((key, index) => pipeline.set(key, blobs[which][index]));
          return pipeline.exec();
        }),
      ),
    );
    const reading = await timed(() => Promise.all(keysOf.map((keys) => redis.mgetBuffer(...keys))));
    if (round === 0) continue;
    writeSeconds += writing;
    readSeconds += reading;
  }
  await Promise.all(keysOf.map((keys) => redis.del(...keys)));
  return {
    baselineWritePerSec: (batch * ROUNDS) / writeSeconds,
    baselineReadPerSec: (batch * ROUNDS) / readSeconds,
  };
}

/**
 * Average MEMORY USAGE of a sample of stable keys, named as in production (model `churn`, topic
 * `user-events`, 12-character entities). The sample is deleted afterwards, so the two precisions
 * are measured under the same key names.
 */
async function bytesPerKey(redis: RedisConnection, precision: Precision) {
  const store = new StateStore({
    connection: redis,
    model: { name: 'churn', fingerprint: FINGERPRINT, layout: LAYOUT },
    precision,
  });
  const scopes = await withEpochs(store);
  const requests = writeRequests(scopes, MEMORY_SAMPLE, 1);
  await store.writeBatches(requests);
  let total = 0;
  for (let index = 0; index < MEMORY_SAMPLE; index += 1) {
    total +=
      (await store.lifecycle.memoryUsage(
        { topic: TOPIC, partition: partitionOf(index) },
        entity(index),
      )) ?? NaN;
  }
  const sampleKey = store.keys.stable(scopes[0], entity(0));
  const valueLength = await redis.strlen(sampleKey);
  for (const request of requests) {
    await store.lifecycle.deleteStates(
      request.scope,
      request.entries.map((entry) => entry.key),
    );
  }
  return { bytes: total / MEMORY_SAMPLE, keyLength: sampleKey.length, valueLength };
}

async function benchTarget(target: string, options: RedisConnectionOptions) {
  const redis = await createRedisConnection(options);
  try {
    const rows: Row[] = [];
    for (const batch of BATCH_SIZES) rows.push(await measureStore(redis, target, batch));
    const float32 = await bytesPerKey(redis, 'float32');
    const float16 = await bytesPerKey(redis, 'float16');
    return {
      rows,
      memory: {
        target,
        float32: float32.bytes,
        float16: float16.bytes,
        keyLength: float32.keyLength,
        valueFloat32: float32.valueLength,
        valueFloat16: float16.valueLength,
      },
    };
  } finally {
    redis.disconnect();
  }
}

const round = (value: number) => Math.round(value);

function printMarkdown(results: Awaited<ReturnType<typeof benchTarget>>[]): void {
  console.log(
    '| target | states/batch | write states/s | read states/s | baseline SET states/s | baseline MGET states/s |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of results.flatMap((result) => result.rows)) {
    console.log(
      `| ${row.target} | ${row.batch} | ${round(row.writeStatesPerSec)} | ${round(row.readStatesPerSec)} | ${round(row.baselineWritePerSec)} | ${round(row.baselineReadPerSec)} |`,
    );
  }
  console.log(
    '\n| target | MEMORY USAGE float32 (LSTM U=64) | MEMORY USAGE float16 | value bytes f32 / f16 | key bytes | ≤ 700 B (float32) |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  for (const { memory } of results) {
    console.log(
      `| ${memory.target} | ${memory.float32.toFixed(1)} | ${memory.float16.toFixed(1)} | ${memory.valueFloat32} / ${memory.valueFloat16} | ${memory.keyLength} | ${memory.float32 <= 700 ? 'met' : 'missed'} |`,
    );
  }
}

/** used_memory growth per key of both precisions on a Redis of its own. */
async function measureGrowth(): Promise<MemoryGrowth[]> {
  const server = await startRedis();
  const redis = await createRedisConnection({ url: server.url });
  try {
    return [await memoryGrowth(redis, 'float32'), await memoryGrowth(redis, 'float16')];
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--memory')) {
    const growth = await measureGrowth();
    printMemoryGrowth(growth);
    console.log(JSON.stringify({ bench: 'state.memory', growth }));
    return;
  }
  const single = await startRedis();
  const cluster = await startRedisCluster({ masters: 3 }).catch(async (error: unknown) => {
    await single.stop();
    throw error;
  });
  try {
    const results = [
      await benchTarget('single', { url: single.url }),
      await benchTarget('cluster-3', { clusterNodes: cluster.nodes }),
    ];
    printMarkdown(results);
    const growth = await measureGrowth();
    printMemoryGrowth(growth);
    console.log(
      JSON.stringify({ bench: 'state', rounds: ROUNDS, partitions: PARTITIONS, results, growth }),
    );
  } finally {
    await Promise.all([single.stop(), cluster.stop()]);
  }
}

await main();
