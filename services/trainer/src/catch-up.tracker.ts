/** Where one partition's reading starts and where `--once` stops reading it. */
export interface PartitionRange {
  readonly partition: number;
  /** First offset to read: the group's committed offset, or the log start when none. */
  readonly from: bigint;
  /** The high watermark when the run started: records at or after it are not waited for. */
  readonly to: bigint;
}

/**
 * The ranges to read, from the topic's watermarks and the group's committed offsets (decimal
 * int64 strings, `-1` = nothing committed).
 */
export function partitionRanges(
  watermarks: readonly { partition: number; low: string; high: string }[],
  committed: readonly { partition: number; offset: string }[],
): PartitionRange[] {
  return watermarks.map(({ partition, low, high }) => {
    const offset = BigInt(committed.find((c) => c.partition === partition)?.offset ?? '-1');
    const start = BigInt(low);
    return { partition, from: offset < start ? start : offset, to: BigInt(high) };
  });
}

/**
 * Tracks reading up to the high watermarks seen at start (what `--once` trains on); records
 * produced later are left for the next run.
 */
export class CatchUpTracker {
  private readonly remaining = new Map<number, bigint>();

  constructor(ranges: readonly PartitionRange[]) {
    for (const { partition, from, to } of ranges) {
      if (from < to) this.remaining.set(partition, to);
    }
  }

  /** A batch of `partition` was buffered; `nextOffset` is the offset after its last record. */
  advanced(partition: number, nextOffset: bigint): void {
    const target = this.remaining.get(partition);
    if (target !== undefined && nextOffset >= target) this.remaining.delete(partition);
  }

  /** True once every partition was read up to its start-time high watermark. */
  done(): boolean {
    return this.remaining.size === 0;
  }

  /** Partitions still being read, for logs. */
  pending(): number[] {
    return [...this.remaining.keys()].sort((a, b) => a - b);
  }
}
