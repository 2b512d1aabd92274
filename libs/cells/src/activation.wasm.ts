import { CELL_ACTIVATIONS, type CellActivation } from './architecture.js';
import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * Element-wise activations as WebAssembly SIMD code, shared by the activation functions and
 * the fused LSTM update. tanh is the clamped [13/6] rational approximation used by Eigen for
 * float32 (absolute error < 1e-6 in float32 arithmetic); sigmoid = (1 + tanh(x/2)) / 2;
 * hardSigmoid = clip(0.2x + 0.5, 0, 1) (tfjs); relu = max(x, 0); linear leaves x alone.
 */

/**
 * Broadcast constants held in v128 locals from `first` on: V8 does not hoist a
 * `f32.const`+`splat` out of a wasm loop, so code refers to constants through `get(value)` and
 * the function prologue fills the locals in once.
 */
export class Constants {
  private readonly values: number[] = [];

  constructor(private readonly first: number) {}

  get(value: number): number[] {
    let index = this.values.indexOf(value);
    if (index < 0) index = this.values.push(value) - 1;
    return op.get(this.first + index);
  }

  prologue(): number[] {
    return this.values.flatMap((value, i) => [...op.f32x4Const(value), ...op.set(this.first + i)]);
  }

  get count(): number {
    return this.values.length;
  }
}

/** v128 locals an activation works in: `x` holds the value, the others are scratch. */
export interface Scratch {
  readonly x: number;
  readonly c2: number;
  readonly p: number;
  readonly q: number;
}

const TANH_CLAMP = 7.90531110763549805;
const NUMERATOR = [
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8,
  1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3,
];
const DENOMINATOR = [
  1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3,
];

/** Horner evaluation in c² of `coefficients` (highest first), leaving the result on the stack. */
function horner(k: Constants, r: Scratch, coefficients: readonly number[]): number[] {
  const [first, ...rest] = coefficients;
  return [
    ...k.get(first),
    ...rest.flatMap((c) => [...op.get(r.c2), ...op.f32x4Mul, ...k.get(c), ...op.f32x4Add]),
  ];
}

function tanh(k: Constants, r: Scratch): number[] {
  return [
    ...op.get(r.x),
    ...k.get(-TANH_CLAMP),
    ...op.f32x4Pmax,
    ...k.get(TANH_CLAMP),
    ...op.f32x4Pmin,
    ...op.tee(r.x),
    ...op.get(r.x),
    ...op.f32x4Mul,
    ...op.set(r.c2),
    ...horner(k, r, NUMERATOR),
    ...op.get(r.x),
    ...op.f32x4Mul,
    ...op.set(r.p),
    ...horner(k, r, DENOMINATOR),
    ...op.set(r.q),
    ...op.get(r.p),
    ...op.get(r.q),
    ...op.f32x4Div,
    ...op.set(r.x),
  ];
}

/** Code that replaces local `r.x` by `activation(r.x)`, lane by lane. */
export function activationCode(activation: CellActivation, k: Constants, r: Scratch): number[] {
  const half = (then: number[]) => [...op.get(r.x), ...k.get(0.5), ...op.f32x4Mul, ...then];
  switch (activation) {
    case 'tanh':
      return tanh(k, r);
    case 'sigmoid':
      return [
        ...half(op.set(r.x)),
        ...tanh(k, r),
        ...half(k.get(0.5)),
        ...op.f32x4Add,
        ...op.set(r.x),
      ];
    case 'hardSigmoid':
      return [
        ...op.get(r.x),
        ...k.get(0.2),
        ...op.f32x4Mul,
        ...k.get(0.5),
        ...op.f32x4Add,
        ...k.get(0),
        ...op.f32x4Pmax,
        ...k.get(1),
        ...op.f32x4Pmin,
        ...op.set(r.x),
      ];
    case 'relu':
      return [...op.get(r.x), ...k.get(0), ...op.f32x4Pmax, ...op.set(r.x)];
    case 'linear':
      return [];
  }
}

/**
 * `<activation>(ptr, count)`: applies the activation in place to `count` floats (a multiple of
 * 4) at byte address `ptr`. One function per activation, so no branch runs per element.
 */
function activationFunction(activation: CellActivation): WasmFunction {
  const [PTR, COUNT, END] = [0, 1, 2];
  const r: Scratch = { x: 3, c2: 4, p: 5, q: 6 };
  const k = new Constants(7);
  const code = activationCode(activation, k, r);
  const body = [
    ...k.prologue(),
    // for (END = PTR + 4·COUNT; PTR < END; PTR += 16) { x = load(PTR); code; store(PTR, x) }
    ...op.get(PTR),
    ...op.get(COUNT),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.set(END),
    ...op.block,
    ...op.loop,
    ...op.get(PTR),
    ...op.get(END),
    ...op.geU,
    ...op.brIf(1),
    ...op.get(PTR),
    ...op.v128Load(0),
    ...op.set(r.x),
    ...code,
    ...op.get(PTR),
    ...op.get(r.x),
    ...op.v128Store(0),
    ...op.get(PTR),
    ...op.i32(16),
    ...op.add,
    ...op.set(PTR),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return { name: activation, params: 2, i32Locals: 1, v128Locals: 4 + k.count, body };
}

export const ACTIVATION_FUNCTIONS: WasmFunction[] = CELL_ACTIVATIONS.map(activationFunction);
