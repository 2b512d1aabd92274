import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16.codec.js';

const roundTrip = (value: number) => fromFloat16Bits(toFloat16Bits(value));

describe('float16 codec', () => {
  it('keeps values that binary16 represents exactly', () => {
    for (const value of [0, 1, -2, 0.5, 1024, 65504, -65504, 2 ** -14, 2 ** -24, 0.0999755859375]) {
      expect(roundTrip(value)).toBe(value);
    }
  });

  it('knows the bit patterns of well-known values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(-0)).toBe(0x8000);
  });

  it('rounds to nearest, ties to even, within half a unit in the last place', () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even (down)
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    for (let value = -4; value < 4; value += 0.0137) {
      expect(Math.abs(roundTrip(value) - value)).toBeLessThanOrEqual(
        Math.max(Math.abs(value), 2 ** -14) * 2 ** -11,
      );
    }
  });

  it('overflows to Infinity and keeps NaN', () => {
    expect(roundTrip(1e6)).toBe(Infinity);
    expect(roundTrip(-Infinity)).toBe(-Infinity);
    expect(roundTrip(65520)).toBe(Infinity);
    expect(roundTrip(NaN)).toBeNaN();
  });

  it('flushes values far below the smallest subnormal to zero', () => {
    expect(roundTrip(1e-10)).toBe(0);
    expect(roundTrip(2 ** -26)).toBe(0);
  });
});
