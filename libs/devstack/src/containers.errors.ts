import { DevstackError } from './devstack.errors.js';

/**
 * No Docker (or compatible) engine is reachable, so the `containers` stack cannot start.
 * `reason` is testcontainers' own one-line explanation.
 */
export class ContainerRuntimeUnavailableError extends DevstackError {
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(
      'DEVSTACK_NO_CONTAINER_RUNTIME',
      `no container runtime reachable (${reason}); start Docker, or use the embedded stack (RNNFLOW_STACK=embedded)`,
      options,
    );
    this.reason = reason;
  }
}
