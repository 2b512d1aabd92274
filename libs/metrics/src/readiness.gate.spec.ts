import { describe, expect, it } from 'vitest';
import { ReadinessGate } from './readiness.gate.js';

describe('ReadinessGate', () => {
  it('is not ready before it opens, then answers with the check, and not after it closes', () => {
    const gate = new ReadinessGate();
    expect(gate.ready()).toBe(false);
    let serving = false;
    gate.open(() => serving);
    expect(gate.ready()).toBe(false);
    serving = true;
    expect(gate.ready()).toBe(true);
    gate.close();
    expect(gate.ready()).toBe(false);
  });
});
