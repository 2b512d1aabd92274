import { activationCode, Constants, type Scratch } from './activation.wasm.js';
import { CELL_ACTIVATIONS, type CellActivation } from './architecture.js';
import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * The LSTM element-wise update fused into one SIMD pass, one function per pair of activations:
 * `lstm_<act>_<rec>(z, c, h, Up)`, byte addresses, with the gates i, f, g, o at z (Up floats
 * each, Up a multiple of 4):
 *
 *   c ← rec(f)·c + rec(i)·act(g);   h ← rec(o)·act(c)
 */
export function lstmFunctionName(act: CellActivation, rec: CellActivation): string {
  return `lstm_${act}_${rec}`;
}

function lstmFunction(act: CellActivation, rec: CellActivation): WasmFunction {
  const [Z, C, H, UP] = [0, 1, 2, 3];
  const [END, STRIDE, STRIDE2, STRIDE3] = [4, 5, 6, 7];
  const r: Scratch = { x: 8, c2: 9, p: 10, q: 11 };
  const [GATE_I, GATE_F, GATE_G, GATE_O] = [12, 13, 14, 15];
  const k = new Constants(16);
  /** gate = activation(load(Z + offset)). */
  const gate = (offset: number[], activation: CellActivation, into: number) => [
    ...op.get(Z),
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
    // x = f·c + i·g; store c; x = act(x); store h = o·x
    ...op.get(GATE_F),
    ...op.get(C),
    ...op.v128Load(0),
    ...op.f32x4Mul,
    ...op.get(GATE_I),
    ...op.get(GATE_G),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(r.x),
    ...op.get(C),
    ...op.get(r.x),
    ...op.v128Store(0),
    ...activationCode(act, k, r),
    ...op.get(H),
    ...op.get(GATE_O),
    ...op.get(r.x),
    ...op.f32x4Mul,
    ...op.v128Store(0),
    ...[Z, C, H].flatMap((pointer) => [
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
    ...op.get(STRIDE),
    ...op.add,
    ...op.set(END),
    ...op.block,
    ...op.loop,
    ...op.get(Z),
    ...op.get(END),
    ...op.geU,
    ...op.brIf(1),
    ...loopBody,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return {
    name: lstmFunctionName(act, rec),
    params: 4,
    i32Locals: 4,
    v128Locals: 8 + k.count,
    body,
  };
}

export const LSTM_FUNCTIONS: WasmFunction[] = CELL_ACTIVATIONS.flatMap((act) =>
  CELL_ACTIVATIONS.map((rec) => lstmFunction(act, rec)),
);
