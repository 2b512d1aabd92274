import { describe, expect, it } from 'vitest';
import { closeAll } from './close.all.js';

describe('closeAll', () => {
  it('runs every closer in order despite failures, empties the list, and rethrows the first failure', async () => {
    const ran: number[] = [];
    const closers = [
      async () => ran.push(1),
      async () => {
        ran.push(2);
        throw new Error('first');
      },
      async () => {
        ran.push(3);
        throw new Error('second');
      },
      async () => ran.push(4),
    ];
    await expect(closeAll(closers)).rejects.toThrow('first');
    expect(ran).toEqual([1, 2, 3, 4]);
    expect(closers).toEqual([]);
  });
});
