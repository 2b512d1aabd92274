import { describe, expect, it } from 'vitest';
import { Instrumentation } from './instrumentation.js';

interface Events {
  call: { seconds: number };
  batch: { records: number };
}

describe('Instrumentation', () => {
  it('hands each event to the listeners of its name until they unsubscribe', () => {
    const instrumentation = new Instrumentation<Events>();
    const calls: number[] = [];
    const batches: number[] = [];
    const unsubscribe = instrumentation.on('call', (event) => calls.push(event.seconds));
    instrumentation.on('batch', (event) => batches.push(event.records));
    instrumentation.emit('call', { seconds: 1 });
    instrumentation.emit('batch', { records: 3 });
    unsubscribe();
    unsubscribe();
    instrumentation.emit('call', { seconds: 2 });
    expect(calls).toEqual([1]);
    expect(batches).toEqual([3]);
  });

  it('keeps a throwing listener from reaching the emitter or the other listeners', () => {
    const instrumentation = new Instrumentation<Events>();
    const seen: number[] = [];
    instrumentation.on('batch', () => {
      throw new Error('listener bug');
    });
    instrumentation.on('batch', (event) => seen.push(event.records));
    expect(() => instrumentation.emit('batch', { records: 2 })).not.toThrow();
    expect(seen).toEqual([2]);
  });
});
