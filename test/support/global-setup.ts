import { ensureKafkaMockBinary } from '@rnnflow/devstack';

/**
 * Compiles the Kafka mock launcher once, before any test file runs, so that a first run's
 * compile time (about a second) never counts against a test's timeout.
 */
export default async function setup(): Promise<void> {
  await ensureKafkaMockBinary();
}
