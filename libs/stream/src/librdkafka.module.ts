import { createRequire } from 'node:module';
import type * as NodeRdkafka from 'node-rdkafka';
import { LibrdkafkaCodes, type LibrdkafkaErrorClass } from './librdkafka.errors.js';
import type { ProducerClient } from './record.producer.js';

/** What rnnflow uses of node-rdkafka: librdkafka, built from source at install time. */
export interface LibrdkafkaModule {
  Producer: typeof NodeRdkafka.Producer;
  codes: LibrdkafkaCodes;
}

let loaded: { module?: LibrdkafkaModule; reason?: string } | undefined;

/**
 * node-rdkafka when it is installed and its native addon loads. It is an optional dependency:
 * npm drops it when the build fails (no C++ compiler, make or python3), and rnnflow then
 * produces with kafkajs.
 */
export function loadLibrdkafka(): { module?: LibrdkafkaModule; reason?: string } {
  if (loaded === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const client = require('node-rdkafka') as typeof NodeRdkafka;
      // Not re-exported by the package's index; it holds librdkafka's text for each code.
      const errorClass = require('node-rdkafka/lib/error.js') as LibrdkafkaErrorClass;
      loaded = {
        module: {
          Producer: client.Producer,
          codes: new LibrdkafkaCodes(client.CODES.ERRORS as Record<string, number>, errorClass),
        },
      };
    } catch (error) {
      loaded = { reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
    }
  }
  return loaded;
}

/** Why the librdkafka producer cannot be used on this machine, or undefined when it can. */
export function librdkafkaUnavailableReason(): string | undefined {
  return loadLibrdkafka().reason;
}

/** `auto` as rnnflow resolves it: librdkafka where node-rdkafka loads, kafkajs elsewhere. */
export function resolveProducerClient(choice: ProducerClient | 'auto'): ProducerClient {
  if (choice !== 'auto') return choice;
  return librdkafkaUnavailableReason() === undefined ? 'librdkafka' : 'kafkajs';
}
