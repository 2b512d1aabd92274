import { activationCode, Constants, type Scratch } from './activation.wasm.js';
import { CELL_ACTIVATIONS, type CellActivation } from './architecture.js';
import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * The LSTM element-wise update fused into one SIMD pass, one function per pair of activations:
 * `lstm_<act>_<rec>(z, c, h, U, Up, scratch)`, byte addresses, with the gates i, f, g, o at z
 * (Up floats each, Up = U rounded up to a multiple of 4):
 *
 *   c ← rec(f)·c + rec(i)·act(g);   h ← rec(o)·act(c)
 *
 * c and h are a key's state vectors (U floats each, anywhere): the pass works in whole vectors
 * of 4 through `scratch` (2·Up floats) and then copies exactly U floats back, so the floats
 * after c and h are never written. (It may read up to 3 floats past c.)
 */
export function lstmFunctionName(act: CellActivation, rec: CellActivation): string {
  return `lstm_${act}_${rec}`;
}

function lstmFunction(act: CellActivation, rec: CellActivation): WasmFunction {
  const [Z, C, H, U, UP, SCRATCH] = [0, 1, 2, 3, 4, 5];
  const [END, STRIDE, STRIDE2, STRIDE3, ZP, CP, SP] = [6, 7, 8, 9, 10, 11, 12];
  const r: Scratch = { x: 13, c2: 14, p: 15, q: 16 };
  const [GATE_I, GATE_F, GATE_G, GATE_O] = [17, 18, 19, 20];
  const k = new Constants(21);
  /** gate = activation(load(ZP + offset)). */
  const gate = (offset: number[], activation: CellActivation, into: number) => [
    ...op.get(ZP),
    ...offset,
    ...op.v128Load(0),
    ...op.set(r.x),
    ...activationCode(activation, k, r),
    ...op.get(r.x),
    ...op.set(into),
  ];
  const loopBody = [
    ...gate([], rec, GATE_I),
    ...gate([...op.get(STRIDE), ...op.add], rec, GATE_F),
    ...gate([...op.get(STRIDE2), ...op.add], act, GATE_G),
    ...gate([...op.get(STRIDE3), ...op.add], rec, GATE_O),
    // x = f·c + i·g → scratch c; x = act(x); o·x → scratch h (STRIDE bytes further)
    ...op.get(GATE_F),
    ...op.get(CP),
    ...op.v128Load(0),
    ...op.f32x4Mul,
    ...op.get(GATE_I),
    ...op.get(GATE_G),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(r.x),
    ...op.get(SP),
    ...op.get(r.x),
    ...op.v128Store(0),
    ...activationCode(act, k, r),
    ...op.get(SP),
    ...op.get(STRIDE),
    ...op.add,
    ...op.get(GATE_O),
    ...op.get(r.x),
    ...op.f32x4Mul,
    ...op.v128Store(0),
    ...[ZP, CP, SP].flatMap((pointer) => [
      ...op.get(pointer),
      ...op.i32(16),
      ...op.add,
      ...op.set(pointer),
    ]),
  ];
  const body = [
    ...k.prologue(),
    // STRIDE = 4·Up bytes between gates; END = Z + STRIDE.
    ...op.get(UP),
    ...op.i32(2),
    ...op.shl,
    ...op.tee(STRIDE),
    ...op.get(STRIDE),
    ...op.add,
    ...op.tee(STRIDE2),
    ...op.get(STRIDE),
    ...op.add,
    ...op.set(STRIDE3),
    ...op.get(Z),
    ...op.tee(ZP),
    ...op.get(STRIDE),
    ...op.add,
    ...op.set(END),
    ...op.get(C),
    ...op.set(CP),
    ...op.get(SCRATCH),
    ...op.set(SP),
    ...op.block,
    ...op.loop,
    ...op.get(ZP),
    ...op.get(END),
    ...op.geU,
    ...op.brIf(1),
    ...loopBody,
    ...op.br(0),
    ...op.end,
    ...op.end,
    // h ← scratch h, c ← scratch c: exactly U floats each.
    ...op.get(H),
    ...op.get(SCRATCH),
    ...op.get(STRIDE),
    ...op.add,
    ...op.get(U),
    ...op.i32(2),
    ...op.shl,
    ...op.memoryCopy,
    ...op.get(C),
    ...op.get(SCRATCH),
    ...op.get(U),
    ...op.i32(2),
    ...op.shl,
    ...op.memoryCopy,
  ];
  return {
    name: lstmFunctionName(act, rec),
    params: 6,
    i32Locals: 7,
    v128Locals: 8 + k.count,
    body,
  };
}

export const LSTM_FUNCTIONS: WasmFunction[] = CELL_ACTIVATIONS.flatMap((act) =>
  CELL_ACTIVATIONS.map((rec) => lstmFunction(act, rec)),
);
