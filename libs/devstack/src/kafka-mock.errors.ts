import { DevstackError } from './devstack.errors.js';

const INSTALL_HINT =
  'install the Debian packages librdkafka-dev, gcc (or build-essential) and pkg-config ' +
  '(apt-get install librdkafka-dev build-essential pkg-config), ' +
  'or run real Kafka and Redis with docker-compose.yml';

/** The Kafka mock launcher could not be compiled: a system package is missing, or cc failed. */
export class KafkaMockBuildError extends DevstackError {
  constructor(problem: string, options: { cause?: unknown } = {}) {
    super(
      'DEVSTACK_KAFKA_MOCK_BUILD',
      `cannot build the Kafka mock launcher: ${problem}; ${INSTALL_HINT}`,
      options,
    );
  }
}

/** The launcher did not report ready: it exited, or timed out. The message carries its stderr. */
export class KafkaMockStartError extends DevstackError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DEVSTACK_KAFKA_MOCK_START', message, options);
  }
}

/**
 * A fault-injection command was refused: a bad argument, an error from the mock (e.g. an
 * unknown broker id), or the launcher is gone. Never retriable: it fails the same way again.
 */
export class KafkaMockCommandError extends DevstackError {
  constructor(command: string, reason: string) {
    super('DEVSTACK_KAFKA_MOCK_COMMAND', `Kafka mock command "${command}" failed: ${reason}`);
  }
}
