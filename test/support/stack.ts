import {
  checkContainerRuntime,
  startDevStack,
  type DevStack,
  type DevStackKind,
  type DevStackOptions,
} from '@rnnflow/devstack';

/**
 * Which stack the integration tests run on: `RNNFLOW_STACK=containers` means real Apache Kafka
 * and Redis through testcontainers; anything else, the embedded stack (mock broker + redis-server).
 */
export const STACK_KIND: DevStackKind =
  process.env.RNNFLOW_STACK === 'containers' ? 'containers' : 'embedded';

/**
 * Why the chosen stack cannot run here, or undefined when it can. Prints the reason once, on
 * one line, so a skipped file says why. Use at the top of a test file:
 * `const unavailable = await stackUnavailable();` then `describe.skipIf(unavailable)(…)`.
 */
export async function stackUnavailable(
  kind: DevStackKind = STACK_KIND,
): Promise<string | undefined> {
  if (kind === 'embedded') return undefined;
  const runtime = await checkContainerRuntime();
  if (runtime.available) return undefined;
  console.warn(`skipping the containers stack: ${runtime.reason}`);
  return runtime.reason;
}

/** Starts the stack chosen by `RNNFLOW_STACK`; the caller stops it in afterAll. */
export function startTestStack(options: Omit<DevStackOptions, 'kind'> = {}): Promise<DevStack> {
  return startDevStack({ ...options, kind: STACK_KIND });
}
