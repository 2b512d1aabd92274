import type { CellActivation } from './architecture.js';
import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * Element-wise activations as WebAssembly SIMD loops, one function per activation so no
 * branch runs per element: `tanh(ptr, count)` etc. apply in place to `count` floats (a multiple
 * of 4) at byte address `ptr`. tanh is the clamped [13/6] rational approximation used by Eigen
 * for float32 (absolute error < 1e-6 in float32 arithmetic); sigmoid = (1 + tanh(x/2)) / 2;
 * hardSigmoid = clip(0.2x + 0.5, 0, 1) (tfjs); relu = max(x, 0).
 */

const [PTR, COUNT, END] = [0, 1, 2];
const [X, C2, P, Q] = [0, 1, 2, 3].map((i) => 3 + i);
/** v128 locals from here on hold the broadcast constants, set once before the loop. */
const FIRST_CONSTANT = 7;

/**
 * Constants as locals: V8 does not hoist a `f32.const`+`splat` out of a wasm loop, so each
 * body refers to constants through `constant(value)` and the loop prologue fills them in.
 */
class Constants {
  private readonly values: number[] = [];

  get(value: number): number[] {
    let index = this.values.indexOf(value);
    if (index < 0) index = this.values.push(value) - 1;
    return op.get(FIRST_CONSTANT + index);
  }

  prologue(): number[] {
    return this.values.flatMap((value, i) => [
      ...op.f32x4Const(value),
      ...op.set(FIRST_CONSTANT + i),
    ]);
  }

  get count(): number {
    return this.values.length;
  }
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
function horner(k: Constants, coefficients: readonly number[]): number[] {
  const [first, ...rest] = coefficients;
  return [
    ...k.get(first),
    ...rest.flatMap((c) => [...op.get(C2), ...op.f32x4Mul, ...k.get(c), ...op.f32x4Add]),
  ];
}

/** X = tanh(X). */
const tanh = (k: Constants) => [
  ...op.get(X),
  ...k.get(-TANH_CLAMP),
  ...op.f32x4Pmax,
  ...k.get(TANH_CLAMP),
  ...op.f32x4Pmin,
  ...op.tee(X),
  ...op.get(X),
  ...op.f32x4Mul,
  ...op.set(C2),
  ...horner(k, NUMERATOR),
  ...op.get(X),
  ...op.f32x4Mul,
  ...op.set(P),
  ...horner(k, DENOMINATOR),
  ...op.set(Q),
  ...op.get(P),
  ...op.get(Q),
  ...op.f32x4Div,
  ...op.set(X),
];

const half = (k: Constants, then: number[]) => [
  ...op.get(X),
  ...k.get(0.5),
  ...op.f32x4Mul,
  ...then,
];

const BODIES: Record<Exclude<CellActivation, 'linear'>, (k: Constants) => number[]> = {
  tanh,
  sigmoid: (k) => [
    ...half(k, op.set(X)),
    ...tanh(k),
    ...half(k, k.get(0.5)),
    ...op.f32x4Add,
    ...op.set(X),
  ],
  hardSigmoid: (k) => [
    ...op.get(X),
    ...k.get(0.2),
    ...op.f32x4Mul,
    ...k.get(0.5),
    ...op.f32x4Add,
    ...k.get(0),
    ...op.f32x4Pmax,
    ...k.get(1),
    ...op.f32x4Pmin,
    ...op.set(X),
  ],
  relu: (k) => [...op.get(X), ...k.get(0), ...op.f32x4Pmax, ...op.set(X)],
};

/** for (END = PTR + 4·COUNT; PTR < END; PTR += 16) { X = load(PTR); body; store(PTR, X) } */
function loopOver(body: number[]): number[] {
  return [
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
    ...op.set(X),
    ...body,
    ...op.get(PTR),
    ...op.get(X),
    ...op.v128Store(0),
    ...op.get(PTR),
    ...op.i32(16),
    ...op.add,
    ...op.set(PTR),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** One function per activation except linear (which is nothing to do). */
export const ACTIVATION_FUNCTIONS: WasmFunction[] = Object.entries(BODIES).map(([name, build]) => {
  const constants = new Constants();
  const body = build(constants);
  return {
    name,
    params: 2,
    i32Locals: 1,
    v128Locals: FIRST_CONSTANT - X + constants.count,
    body: [...constants.prologue(), ...loopOver(body)],
  };
});
