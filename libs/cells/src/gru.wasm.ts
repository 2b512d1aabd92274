import { activationCode, Constants, type Scratch } from './activation.wasm.js';
import { CELL_ACTIVATIONS, type CellActivation } from './architecture.js';
import { op, type WasmFunction } from './wasm.encoder.js';

/**
 * The GRU's element-wise work as two SIMD passes per key (resetAfter false), so that no scalar
 * loop runs between its two matmuls. Byte addresses; Up = U rounded up to a multiple of 4.
 *
 * `gru_reset_<rec>(zr, h, Up, rh)`, with the pre-activations z then r at zr (Up floats each):
 *
 *   z ← rec(z) in place;   rh ← rec(r)·h   (Up floats; r itself is not kept)
 *
 * `gru_blend_<act>(z, hh, h, U, Up, scratch)`, with the activated z at z and the candidate's
 * pre-activation at hh:
 *
 *   h ← z·h + (1 − z)·act(hh)
 *
 * in whole vectors of 4 through `scratch` (Up floats), then exactly U floats copied to h, so the
 * floats after h are never written. Both passes may read up to 3 floats past h. Every operation
 * is a float32 operation, lane by lane, so a key's result does not depend on its batch.
 */
export function gruResetFunctionName(rec: CellActivation): string {
  return `gru_reset_${rec}`;
}

export function gruBlendFunctionName(act: CellActivation): string {
  return `gru_blend_${act}`;
}

/** A loop from `pointer` to `end` (byte addresses, 16 bytes a pass) around `body`. */
function vectorLoop(pointer: number, end: number, body: number[], advance: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(pointer),
    ...op.get(end),
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...advance.flatMap((local) => [...op.get(local), ...op.i32(16), ...op.add, ...op.set(local)]),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

function resetFunction(rec: CellActivation): WasmFunction {
  const [ZR, H, UP, RH] = [0, 1, 2, 3];
  const [END, STRIDE, ZP, HP, RP] = [4, 5, 6, 7, 8];
  const r: Scratch = { x: 9, c2: 10, p: 11, q: 12 };
  const k = new Constants(13);
  const body = [
    // z in place: x = rec(load(ZP)); store(ZP, x)
    ...op.get(ZP),
    ...op.v128Load(0),
    ...op.set(r.x),
    ...activationCode(rec, k, r),
    ...op.get(ZP),
    ...op.get(r.x),
    ...op.v128Store(0),
    // rh = rec(load(ZP + STRIDE)) · load(HP)
    ...op.get(ZP),
    ...op.get(STRIDE),
    ...op.add,
    ...op.v128Load(0),
    ...op.set(r.x),
    ...activationCode(rec, k, r),
    ...op.get(RP),
    ...op.get(r.x),
    ...op.get(HP),
    ...op.v128Load(0),
    ...op.f32x4Mul,
    ...op.v128Store(0),
  ];
  const code = [
    ...k.prologue(),
    // STRIDE = 4·Up bytes (z to r); END = ZR + STRIDE.
    ...op.get(UP),
    ...op.i32(2),
    ...op.shl,
    ...op.set(STRIDE),
    ...op.get(ZR),
    ...op.tee(ZP),
    ...op.get(STRIDE),
    ...op.add,
    ...op.set(END),
    ...op.get(H),
    ...op.set(HP),
    ...op.get(RH),
    ...op.set(RP),
    ...vectorLoop(ZP, END, body, [ZP, HP, RP]),
  ];
  return {
    name: gruResetFunctionName(rec),
    params: 4,
    i32Locals: 5,
    v128Locals: 4 + k.count,
    body: code,
  };
}

function blendFunction(act: CellActivation): WasmFunction {
  const [Z, HH, H, U, UP, SCRATCH] = [0, 1, 2, 3, 4, 5];
  const [END, ZP, HHP, HP, SP] = [6, 7, 8, 9, 10];
  const r: Scratch = { x: 11, c2: 12, p: 13, q: 14 };
  const GATE_Z = 15;
  const k = new Constants(16);
  const body = [
    ...op.get(HHP),
    ...op.v128Load(0),
    ...op.set(r.x),
    ...activationCode(act, k, r),
    ...op.get(ZP),
    ...op.v128Load(0),
    ...op.set(GATE_Z),
    // scratch = z·h + (1 − z)·x
    ...op.get(SP),
    ...op.get(GATE_Z),
    ...op.get(HP),
    ...op.v128Load(0),
    ...op.f32x4Mul,
    ...k.get(1),
    ...op.get(GATE_Z),
    ...op.f32x4Sub,
    ...op.get(r.x),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.v128Store(0),
  ];
  const code = [
    ...k.prologue(),
    ...op.get(Z),
    ...op.tee(ZP),
    ...op.get(UP),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.set(END),
    ...op.get(HH),
    ...op.set(HHP),
    ...op.get(H),
    ...op.set(HP),
    ...op.get(SCRATCH),
    ...op.set(SP),
    ...vectorLoop(ZP, END, body, [ZP, HHP, HP, SP]),
    // h ← scratch: exactly U floats.
    ...op.get(H),
    ...op.get(SCRATCH),
    ...op.get(U),
    ...op.i32(2),
    ...op.shl,
    ...op.memoryCopy,
  ];
  return {
    name: gruBlendFunctionName(act),
    params: 6,
    i32Locals: 5,
    v128Locals: 5 + k.count,
    body: code,
  };
}

export const GRU_FUNCTIONS: WasmFunction[] = CELL_ACTIVATIONS.flatMap((activation) => [
  resetFunction(activation),
  blendFunction(activation),
]);
