import { describe, expect, it } from 'vitest';
import { CatchUpTracker, partitionRanges } from './catch-up.tracker.js';

describe('partitionRanges', () => {
  it('starts at the committed offset, or the log start when nothing (or less) was committed', () => {
    const ranges = partitionRanges(
      [
        { partition: 0, low: '0', high: '10' },
        { partition: 1, low: '5', high: '9' },
        { partition: 2, low: '0', high: '4' },
      ],
      [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '2' },
        { partition: 2, offset: '-1' },
      ],
    );
    expect(ranges).toEqual([
      { partition: 0, from: 7n, to: 10n },
      { partition: 1, from: 5n, to: 9n },
      { partition: 2, from: 0n, to: 4n },
    ]);
  });
});

describe('CatchUpTracker', () => {
  it('is done at once when every partition is read or empty', () => {
    expect(new CatchUpTracker([{ partition: 0, from: 4n, to: 4n }]).done()).toBe(true);
    expect(new CatchUpTracker([]).done()).toBe(true);
  });

  it('is done once each partition reached its start-time high watermark', () => {
    const tracker = new CatchUpTracker([
      { partition: 0, from: 0n, to: 10n },
      { partition: 1, from: 3n, to: 5n },
    ]);
    tracker.advanced(0, 6n);
    tracker.advanced(1, 5n);
    expect(tracker.done()).toBe(false);
    expect(tracker.pending()).toEqual([0]);
    // Records produced after the start do not keep it waiting.
    tracker.advanced(0, 12n);
    expect(tracker.done()).toBe(true);
  });
});
