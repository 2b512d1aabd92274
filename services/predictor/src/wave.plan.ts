import type { ParsedRecord } from './input.record.js';

/**
 * How one partition batch is computed: wave k holds the k-th event (or tombstone) of every key
 * in the batch, so each wave is one batched step over distinct keys, and a key's events are
 * still applied strictly in offset order.
 */
export interface WavePlan {
  /** Distinct keys in order of first appearance; a key's index is its slot. */
  keys: string[];
  /** Slot of each record, -1 for dead letters. */
  slotOfRecord: Int32Array;
  /** Record indices per wave; within a wave, slots are distinct. */
  waves: number[][];
}

export function planWaves(records: readonly ParsedRecord[]): WavePlan {
  const slots = new Map<string, number>();
  const keys: string[] = [];
  const depth: number[] = [];
  const slotOfRecord = new Int32Array(records.length).fill(-1);
  const waves: number[][] = [];
  records.forEach((record, index) => {
    if (record.kind === 'dead-letter') return;
    let slot = slots.get(record.key);
    if (slot === undefined) {
      slot = keys.length;
      slots.set(record.key, slot);
      keys.push(record.key);
      depth.push(0);
    }
    slotOfRecord[index] = slot;
    const wave = depth[slot]++;
    (waves[wave] ??= []).push(index);
  });
  return { keys, slotOfRecord, waves };
}
