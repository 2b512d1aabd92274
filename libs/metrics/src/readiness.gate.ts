/**
 * What `/readyz` answers while a service starts and once it runs: not ready until
 * {@link ReadinessGate.open} hands over the running service's own check. The metrics server
 * starts first with a gate, so that probes and alerts see a starting or stuck instance from its
 * first second instead of a refused connection.
 */
export class ReadinessGate {
  private check: (() => boolean) | undefined;

  /** From now on, readiness is `check()`. */
  open(check: () => boolean): void {
    this.check = check;
  }

  /** Back to not ready (a stopping service). */
  close(): void {
    this.check = undefined;
  }

  ready(): boolean {
    return this.check?.() ?? false;
  }
}
