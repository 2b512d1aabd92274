/** Committed (or end) offset of one partition. */
export interface PartitionOffset {
  partition: number;
  /** Decimal int64; `-1` when the group has committed nothing for the partition. */
  offset: string;
}

/** Offsets bounding one partition's log. */
export interface PartitionWatermarks {
  partition: number;
  /** First offset still in the log, decimal int64. */
  low: string;
  /** Offset after the last stable record (read_committed end), decimal int64. */
  high: string;
}

/** How far one partition's consumer is behind its log end. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Offset after the last stable record, decimal int64. */
  highWatermark: string;
  /** Next offset the group has committed, decimal int64; `-1` when none. */
  committed: string;
  /** Next offset this consumer will read, when it has handled a batch of the partition since joining. */
  position?: string;
  /** Records not yet consumed: high − position, or high − committed (or − low when nothing is committed); ≥ 0. */
  lag: number;
}

/**
 * Lag of one partition. The position (what this process has handled) is the better reading
 * when known, since commits can trail it; the committed offset is what a restart would use.
 * Transaction markers count as records here, so a transactional topic may show a lag of 1 at
 * rest.
 */
export function partitionLag(input: {
  topic: string;
  partition: number;
  low: string;
  high: string;
  committed: string;
  position?: string;
}): PartitionLag {
  const high = BigInt(input.high);
  const reached =
    input.position !== undefined
      ? BigInt(input.position)
      : input.committed === '-1'
        ? BigInt(input.low)
        : BigInt(input.committed);
  const lag = high > reached ? Number(high - reached) : 0;
  return {
    topic: input.topic,
    partition: input.partition,
    highWatermark: input.high,
    committed: input.committed,
    ...(input.position === undefined ? {} : { position: input.position }),
    lag,
  };
}
