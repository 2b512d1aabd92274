import { createHash } from 'node:crypto';
import { ReplyError } from 'ioredis';
import { execPerNode } from './node.router.js';
import type { RedisConnection } from '@rnnflow/redis';
import { stateScripts } from './state.scripts.js';
import { StatePermissionError } from './state.errors.js';
import { StateStore } from './state.store.js';
import type { FencedScope, StateRecord } from './state.types.js';

/** What {@link checkStateRights} probes: the keys a predictor of this model and topic uses. */
export interface StateRightsScope {
  /** Model name, as in the state keys. */
  model: string;
  /** Input topic: the probe keys match the same ACL key patterns as the real ones. */
  topic: string;
  /** First part of every key; default `rnnflow`. */
  keyPrefix?: string;
}

/**
 * Kafka partition numbers are int32 and never come near the largest one, so the probe's keys
 * have the real keys' shape (and fall under the same ACL patterns) without being any of them.
 */
const PROBE_PARTITION = 2 ** 31 - 1;
const PROBE_KEY = 'rnnflow-rights-check';
const PROBE_FINGERPRINT = '0'.repeat(16);
/** The probe's records expire on their own should it stop halfway. */
const PROBE_TTL_MS = 60_000;

const COMMANDS = 'PING, GET, MGET, SET, INCR, DEL, EVALSHA and EVAL';

/**
 * How Redis says an ACL refused a call: the `NOPERM` error code, except inside a script, where
 * Redis 7.0 answers with the generic `ERR` code and this sentence (there is no other sign).
 */
const REFUSED = /^NOPERM\b|^ERR The user executing the script can't/;

/** A script every Redis knows by its SHA-1 once EVAL ran it. */
const PROBE_LUA = 'return 1';

function record(offset: number): StateRecord {
  return {
    modelVersion: 1,
    step: offset,
    offset,
    updatedAtMs: 0,
    ended: false,
    vectors: [new Float32Array(1)],
  };
}

/** The Redis reply error behind `error` (state errors keep it as their cause), if any. */
function replyError(error: unknown): Error | undefined {
  for (let at = error; at instanceof Error; at = at.cause) {
    if (at instanceof ReplyError) return at;
  }
  return undefined;
}

/**
 * Checks, before the first batch, that the Redis user may do everything state reads and writes
 * do: a dry run of each command and each script on probe keys of the real key shape
 * (`<prefix>:{<model>:<topic>:2147483647}:…`), removed afterwards. Without it, a user lacking
 * EVAL or access to the state keys starts fine and then fails every batch with `NOPERM`.
 * @throws StatePermissionError naming the operation Redis refused and the rights needed;
 *   other errors (Redis unreachable) as they come.
 */
export async function checkStateRights(
  connection: RedisConnection,
  scope: StateRightsScope,
): Promise<void> {
  const prefix = scope.keyPrefix ?? 'rnnflow';
  const store = new StateStore({
    connection,
    model: { name: scope.model, fingerprint: PROBE_FINGERPRINT, layout: [1] },
    keyPrefix: prefix,
    idleTtlMs: PROBE_TTL_MS,
  });
  const partition = { topic: scope.topic, partition: PROBE_PARTITION };
  const keys = store.keys;
  const pattern = `${prefix}:{${scope.model}:${scope.topic}:*}:*`;
  let step = '';
  const run = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    step = what;
    return call();
  };
  try {
    const epoch = await run('INCR the partition epoch', () => store.acquireEpoch(partition));
    const fenced: FencedScope = { ...partition, epoch };
    await run('MGET state keys', () =>
      store.readStates(partition, [PROBE_KEY], { committedOffset: -1 }),
    );
    await run('run the writeStable script', () =>
      store.writeStates(fenced, [{ key: PROBE_KEY, record: record(1) }]),
    );
    const pending = { mode: 'pending', batchTag: 2, committedOffset: -1 } as const;
    await run('run the writePending script', () =>
      store.writeStates(fenced, [{ key: PROBE_KEY, record: record(2) }], pending),
    );
    await run('run the promotePending script', () => store.promotePending(fenced, [PROBE_KEY], 3));
    // A second pending record, uncommitted (tag 3 ≥ C = 3), for discardPending to delete.
    await run('run the writePending script', () =>
      store.writeStates(fenced, [{ key: PROBE_KEY, record: record(3) }], {
        ...pending,
        batchTag: 3,
      }),
    );
    await run('run the discardPending script', () => store.discardPending(fenced, [PROBE_KEY], 3));
    const stableKey = keys.stable(partition, PROBE_KEY);
    await run('run the deleteIfUnchanged script', () =>
      execPerNode(connection, [
        {
          slotKey: keys.epoch(partition),
          queue: (pipeline) =>
            stateScripts.call(pipeline, 'deleteIfUnchanged', [stableKey], ['none']),
        },
      ]),
    );
    // ioredis sends a script's body (EVAL) on its first call on a connection, EVALSHA after: the
    // scripts above ran by EVAL, or by EVALSHA when another connection had cached them. Both
    // are needed.
    await run('run EVAL', () => connection.eval(PROBE_LUA, 0));
    const sha = createHash('sha1').update(PROBE_LUA).digest('hex');
    await run('run EVALSHA', () => connection.evalsha(sha, 0));
    await run('DEL state keys', () => store.lifecycle.deleteStates(partition, [PROBE_KEY]));
    await run('DEL the partition epoch', () =>
      execPerNode(connection, [
        {
          slotKey: keys.epoch(partition),
          queue: (pipeline) => pipeline.del(keys.epoch(partition)),
        },
      ]),
    );
  } catch (error) {
    const reply = replyError(error);
    if (reply === undefined || !REFUSED.test(reply.message)) throw error;
    throw new StatePermissionError(
      `the Redis user of REDIS_URL may not ${step} (Redis answered: ${reply.message}); ` +
        `state needs ${COMMANDS} on keys ${pattern}, e.g. ` +
        `ACL SETUSER <user> +ping +get +mget +set +incr +del +evalsha +eval ~${prefix}:*`,
      error,
    );
  }
}
