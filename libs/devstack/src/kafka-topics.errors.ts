import { DevstackError } from './devstack.errors.js';

/** Thrown for a topic that Kafka (or the launcher) would refuse; the message says why. */
export class KafkaTopicSpecError extends DevstackError {
  constructor(message: string) {
    super('DEVSTACK_BAD_TOPIC', message);
  }
}
