import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stderr, so that stdout stays free for a command's own output (the
 * `KAFKA_BROKERS=…` lines of `devstack up`, a benchmark's table).
 */
export function createLogger(name: string, level: string = 'info'): Logger {
  return pino({ name, level, base: { service: name } }, pino.destination(2));
}
