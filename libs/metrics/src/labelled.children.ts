/**
 * Label-bound children of a prom-client metric, cached by label values.
 *
 * `metric.labels(...)` builds a label object and hashes it on every call; the predictor records
 * several series per batch, so each recorder keeps the bound child per label-value tuple instead.
 */
export class LabelledChildren<Child> {
  private readonly children = new Map<string, Child>();

  constructor(private readonly bind: (...values: string[]) => Child) {}

  /** The child bound to `values`, created on first use. */
  get(...values: string[]): Child {
    const key = values.length === 1 ? values[0] : values.join('\u0000');
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.bind(...values);
      this.children.set(key, child);
    }
    return child;
  }

  /** Forgets the child of `values` (call after removing its series from the metric). */
  forget(...values: string[]): void {
    this.children.delete(values.join('\u0000'));
  }
}

/**
 * The most recent label values of one label (model versions), at most `capacity` of them.
 *
 * A long-running predictor sees a new model version every training round; keeping a series per
 * version forever would grow without bound, so the oldest version's series are dropped once
 * `capacity` newer ones have been seen.
 */
export class RecentLabelValues {
  private readonly values = new Set<string>();

  constructor(
    private readonly capacity: number,
    private readonly evict: (value: string) => void,
  ) {}

  /** Marks `value` as in use; evicts the oldest value when this makes one too many. */
  touch(value: string): void {
    if (this.values.has(value)) return;
    this.values.add(value);
    if (this.values.size <= this.capacity) return;
    const oldest = this.values.values().next().value as string;
    this.values.delete(oldest);
    this.evict(oldest);
  }
}
