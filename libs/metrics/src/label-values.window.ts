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
