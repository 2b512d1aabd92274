import type { Logger } from '@rnnflow/logging';

/**
 * Ends the process once a service has stopped. Its clients are closed by then, but a client
 * library may still hold a reconnect timer or socket after an outage (seen after a Redis restart),
 * and a stopped service that never exits hangs its supervisor's restart.
 */
export async function exitAfterStop(logger: Logger): Promise<never> {
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  process.exit();
}
