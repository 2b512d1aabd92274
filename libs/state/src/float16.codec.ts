// IEEE 754 binary16 <-> binary32, round-to-nearest-even. Node 20 has no Float16Array, so the
// halves are carried as uint16 bit patterns.

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The binary16 bit pattern nearest to `value` (overflow → ±Infinity, NaN stays NaN). */
export function toFloat16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) return sign | subnormalHalf(mantissa | 0x800000, 14 - halfExponent);
  const rounded = roundShift((halfExponent << 23) | mantissa, 13);
  // A mantissa that rounds up carries into the exponent, which is the correct result (even to Infinity).
  return sign | rounded;
}

function subnormalHalf(mantissaWithLeadingOne: number, shift: number): number {
  return shift > 24 ? 0 : roundShift(mantissaWithLeadingOne, shift);
}

/** `value >> shift`, rounded to nearest, ties to even. */
function roundShift(value: number, shift: number): number {
  const truncated = value >>> shift;
  const remainder = value - truncated * 2 ** shift;
  const half = 2 ** (shift - 1);
  if (remainder > half || (remainder === half && (truncated & 1) === 1)) return truncated + 1;
  return truncated;
}

/** The number a binary16 bit pattern stands for. */
export function fromFloat16Bits(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
