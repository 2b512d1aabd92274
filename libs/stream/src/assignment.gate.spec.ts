import { describe, expect, it } from 'vitest';
import { AssignmentGate } from './assignment.gate.js';

describe('AssignmentGate', () => {
  it('holds batches until the assignment hook has finished', async () => {
    const gate = new AssignmentGate(async () => new Map());
    let releaseHook!: () => void;
    const hookDone = new Promise<void>((resolve) => (releaseHook = resolve));
    gate.open([{ topic: 't', partitions: [0] }], () => hookDone);
    let passed = false;
    const waiting = gate.firstOffsetFor('t', 0, '0').then(() => (passed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(passed).toBe(false);
    releaseHook();
    await waiting;
    expect(passed).toBe(true);
  });

  it('skips a first batch that starts before the offset committed after the hook, once', async () => {
    const reads: string[][] = [];
    const gate = new AssignmentGate(async (topics) => {
      reads.push([...topics]);
      return new Map([
        ['t/0', 10n],
        ['t/1', 3n],
      ]);
    });
    gate.open([{ topic: 't', partitions: [0, 1] }], () => undefined);
    expect(await gate.firstOffsetFor('t', 0, '4')).toBe('10');
    expect(await gate.firstOffsetFor('t', 0, '4')).toBeUndefined();
    expect(await gate.firstOffsetFor('t', 1, '3')).toBeUndefined();
    expect(reads).toEqual([['t']]);
  });

  it('rereads committed offsets on every new assignment and after a failed read', async () => {
    let calls = 0;
    const gate = new AssignmentGate(async () => {
      calls++;
      if (calls === 1) throw new Error('coordinator moving');
      return new Map([['t/0', 5n]]);
    });
    gate.open([{ topic: 't', partitions: [0] }], () => undefined);
    await expect(gate.firstOffsetFor('t', 0, '0')).rejects.toThrow('coordinator moving');
    expect(await gate.firstOffsetFor('t', 0, '0')).toBe('5');
    gate.open([{ topic: 't', partitions: [0] }], () => undefined);
    expect(await gate.firstOffsetFor('t', 0, '0')).toBe('5');
    expect(calls).toBe(3);
  });

  it('fails the waiting batches when the hook fails', async () => {
    const gate = new AssignmentGate(async () => new Map());
    gate.open([{ topic: 't', partitions: [0] }], () => Promise.reject(new Error('redis down')));
    await expect(gate.firstOffsetFor('t', 0, '0')).rejects.toThrow('redis down');
  });
});
