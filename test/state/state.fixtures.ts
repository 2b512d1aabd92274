import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '@rnnflow/redis';
import type { StateRecord, StateStoreOptions } from '@rnnflow/state';

/** One LSTM layer of 64 units: h and c. */
export const LSTM_LAYOUT = [64, 64];
const FINGERPRINT = '5eedc0de00112233';

/** A unique key prefix per test, so runs never see each other's keys. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function storeOptions(
  connection: RedisConnection,
  overrides: Partial<StateStoreOptions> = {},
): StateStoreOptions {
  return {
    connection,
    model: { name: 'churn', fingerprint: FINGERPRINT, layout: LSTM_LAYOUT },
    keyPrefix: uniquePrefix(),
    ...overrides,
  };
}

/** A state whose values depend on `offset`, so a test can tell which write won. */
export function stateAt(offset: number, overrides: Partial<StateRecord> = {}): StateRecord {
  return {
    modelVersion: 3,
    step: offset + 1,
    offset,
    updatedAtMs: 1_764_000_000_000 + offset,
    ended: false,
    vectors: LSTM_LAYOUT.map((length, which) =>
      Float32Array.from({ length }, (_, index) => Math.fround(Math.sin(offset + index + which))),
    ),
    ...overrides,
  };
}
