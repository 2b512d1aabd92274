import { KafkaMockCommandError } from './kafka-mock.errors.js';

interface Pending {
  command: string;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The parent's end of the launcher's line protocol: each command written to its stdin is
 * answered, in order, by one `OK` or `ERR <reason>` line on its stdout. Commands are queued
 * so callers can await each one (a fault is in place once its promise resolves).
 */
export class KafkaMockControl {
  private readonly pending: Pending[] = [];
  private closedReason: string | undefined;

  /** `write` sends one line (without its newline) to the launcher. */
  constructor(private readonly write: (line: string) => void) {}

  /** Sends a command and resolves on `OK`; rejects with {@link KafkaMockCommandError} on `ERR`. */
  send(command: string): Promise<void> {
    if (command.includes('\n')) {
      return Promise.reject(new KafkaMockCommandError(command, 'commands are single lines'));
    }
    if (this.closedReason !== undefined) {
      return Promise.reject(new KafkaMockCommandError(command, this.closedReason));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      this.write(command);
    });
  }

  /** Feeds one reply line read from the launcher's stdout. */
  receive(line: string): void {
    const next = this.pending.shift();
    if (next === undefined) return;
    if (line === 'OK') next.resolve();
    else next.reject(new KafkaMockCommandError(next.command, line.replace(/^ERR /, '')));
  }

  /** Fails every waiting and future command, e.g. once the launcher has exited. */
  close(reason: string): void {
    this.closedReason = reason;
    for (const waiting of this.pending.splice(0)) {
      waiting.reject(new KafkaMockCommandError(waiting.command, reason));
    }
  }
}
