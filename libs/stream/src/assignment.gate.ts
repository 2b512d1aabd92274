import { partitionName } from './partition.name.js';
import type { TopicPartitions } from './stream.instrumentation.js';

/** Committed offsets by `topic/partition`. */
export type CommittedOffsets = Map<string, bigint>;

/**
 * Holds back the batches of a new assignment until the assignment hook has finished, then
 * checks each partition's first batch against the offset committed *after* the hook.
 *
 * Why: kafkajs reads committed offsets during the join, before the hook can run. In
 * exactly-once mode the hook initialises the partition's transactional producer, which fences
 * the previous owner; a transaction that owner committed in between moved the committed
 * offset past where kafkajs starts, and those records must not be processed twice.
 */
export class AssignmentGate {
  private ready: Promise<void> = Promise.resolve();
  private generation = 0;
  private topics: string[] = [];
  private committed: Promise<CommittedOffsets> | undefined;
  private readonly started = new Set<string>();

  constructor(
    private readonly fetchCommitted: (topics: readonly string[]) => Promise<CommittedOffsets>,
  ) {}

  /** Starts a new assignment: `hook` runs now, and batches wait for it. */
  open(assignment: readonly TopicPartitions[], hook: () => void | Promise<void>): void {
    this.generation++;
    this.topics = assignment.map(({ topic }) => topic);
    this.committed = undefined;
    this.started.clear();
    this.ready = Promise.resolve().then(hook);
    // A failing hook fails the batches that wait for it (kafkajs retries them); it must not
    // also surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /**
   * Waits for the assignment hook; for the first batch of a partition in this assignment,
   * returns the committed offset to skip to when it is past `firstOffset`, else undefined.
   */
  async firstOffsetFor(
    topic: string,
    partition: number,
    firstOffset: string | null,
  ): Promise<string | undefined> {
    await this.ready;
    const key = partitionName(topic, partition);
    if (this.started.has(key) || firstOffset === null) return undefined;
    const committed = (await this.committedOffsets()).get(key);
    this.started.add(key);
    return committed !== undefined && committed > BigInt(firstOffset)
      ? committed.toString()
      : undefined;
  }

  /** Counts assignments: a new one begins after every group join. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** The offset the group had committed for a partition when this assignment began, -1n when none. */
  async committedOffset(topic: string, partition: number): Promise<bigint> {
    await this.ready;
    return (await this.committedOffsets()).get(partitionName(topic, partition)) ?? -1n;
  }

  private committedOffsets(): Promise<CommittedOffsets> {
    if (this.committed === undefined) {
      const generation = this.generation;
      const fetching = this.fetchCommitted(this.topics);
      // A failed read is forgotten so that the next batch tries again.
      fetching.catch(() => {
        if (this.generation === generation && this.committed === fetching)
          this.committed = undefined;
      });
      this.committed = fetching;
    }
    return this.committed;
  }
}
