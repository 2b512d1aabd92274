import { packKeyState, unpackKeyState, type RecurrentModel } from '@rnnflow/cells';
import type { RedisConnection } from '@rnnflow/redis';
import { decodeState, encodeState, parseFingerprint } from '@rnnflow/state';
import type { ConsumedRecord, StreamProducer } from '@rnnflow/stream';
import type { ContenderHandler } from './batch.contender.js';

/** Offset to commit after a batch: the one after its last record. */
function nextOffset(records: readonly ConsumedRecord[]): string {
  return (BigInt(records[records.length - 1].offset) + 1n).toString();
}

/**
 * The ceiling of any consume → produce service on this broker: each batch's records produced
 * unchanged (key and value) in one request, then the offset committed. No state, no model.
 */
export function passthroughHandler(
  producer: StreamProducer,
  outputTopic: string,
): ContenderHandler {
  return async (batch, commit) => {
    await producer.sendBatch([
      {
        topic: outputTopic,
        messages: batch.records.map(({ key, value }) => ({ key, value })),
      },
    ]);
    await commit(nextOffset(batch.records));
    return batch.records.length;
  };
}

export interface NaiveDependencies {
  redis: RedisConnection;
  producer: StreamProducer;
  model: RecurrentModel;
  outputTopic: string;
  /** First part of the Redis keys of its states. */
  keyPrefix: string;
}

/**
 * The obvious per-event implementation: for every record, await the key's state (GET), decode
 * it, step that one key, await the new state (SET), await the produce of one prediction; commit
 * once per batch. Same state codec, kernels and output shape as the predictor.
 */
export function naiveHandler(deps: NaiveDependencies): ContenderHandler {
  const { model, redis, producer } = deps;
  const layout = model.stateLayout;
  const fingerprint = parseFingerprint(model.fingerprint);
  const lengths = layout.vectors.map((vector) => vector.length);
  const stepper = model.createStepper(1);
  const inputs = new Float32Array(model.inputSize);
  const states = new Float32Array(layout.floatsPerKey);
  const outputs = new Float32Array(model.outputSize);

  const stepRecord = async (record: ConsumedRecord, partition: number) => {
    const key = String(record.key);
    const { features } = JSON.parse(String(record.value)) as { features: number[] };
    const stateKey = `${deps.keyPrefix}:${partition}:${key}`;
    const stored = await redis.getBuffer(stateKey);
    const previous =
      stored === null
        ? undefined
        : decodeState(stored, { fingerprint, layout: lengths, precision: 'float32' });
    // Buffers are shared by concurrent partitions: everything below until the first await uses them.
    states.fill(0);
    if (previous?.ok) packKeyState(layout, previous.record.vectors, states, 0);
    const step = (previous?.ok ? previous.record.step : 0) + 1;
    inputs.set(features);
    stepper.step(inputs, states, 1, outputs);
    const value = JSON.stringify({ key, step, output: Array.from(outputs), ts: record.timestamp });
    const state = encodeState(
      {
        modelVersion: 1,
        step,
        offset: Number(record.offset),
        updatedAtMs: Date.now(),
        ended: false,
        vectors: unpackKeyState(layout, states, 0),
      },
      { fingerprint, precision: 'float32' },
    );
    await redis.set(stateKey, state);
    await producer.sendBatch([{ topic: deps.outputTopic, messages: [{ key: record.key, value }] }]);
  };

  return async (batch, commit) => {
    for (const record of batch.records) await stepRecord(record, batch.partition);
    await commit(nextOffset(batch.records));
    return batch.records.length;
  };
}
