import { backoffDelayMs } from './retry.policy.js';
import { StreamErrorCode, type StreamError } from './stream.errors.js';

/** Consecutive failed joins after which a member gives up and reports the crash. */
export const GROUP_REJOIN_LIMIT = 5;
const REJOIN_INITIAL_MS = 500;
const REJOIN_MAX_MS = 8000;

/**
 * Decides whether a consumer that crashed while joining its group joins again.
 *
 * kafkajs stops a consumer for good on any protocol error it does not mark retriable, including
 * a broker's unexpected answer to JoinGroup or SyncGroup. librdkafka and the Java client rejoin
 * after those instead, and so does rnnflow: a joining member owns no partition and has no batch
 * in flight, so starting it again loses nothing. The rejoins are bounded, so a coordinator that
 * keeps refusing still stops the member, and authorization errors are reported at once (another
 * attempt cannot fix an ACL).
 */
export class GroupRejoins {
  private joining = false;
  private failures = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** The member sent (or is about to send) its JoinGroup. */
  joinStarted(): void {
    this.joining = true;
  }

  /** The member holds an assignment: the next join starts a fresh count. */
  joined(): void {
    this.joining = false;
    this.failures = 0;
  }

  /** Wait before joining again after `error`, or `undefined` when the crash must be reported. */
  nextDelayMs(error: StreamError): number | undefined {
    if (!this.joining || !isRejoinable(error) || this.failures >= GROUP_REJOIN_LIMIT) {
      return undefined;
    }
    this.failures += 1;
    return (
      REJOIN_INITIAL_MS +
      backoffDelayMs(this.failures, REJOIN_INITIAL_MS, REJOIN_MAX_MS, this.random)
    );
  }
}

function isRejoinable(error: StreamError): boolean {
  return (
    error.code === StreamErrorCode.Protocol &&
    !String(error.kafkaType).endsWith('_AUTHORIZATION_FAILED')
  );
}
