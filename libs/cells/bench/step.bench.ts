/**
 * Single-step throughput of the rnnflow batched stepper against tfjs (wasm backend) computing
 * the same batch step (bench/tfjs.step.ts), both from and to Float32Arrays, plus tfjs with its
 * tensors kept resident (no upload/download) as the lower bound of its cost. Prints a markdown
 * table, then one JSON line.
 *
 *   npx tsx libs/cells/bench/step.bench.ts        (from the repo root)
 *   npm run bench -w @rnnflow/cells
 *
 * Then GRU against LSTM at B = 256 (U = 32, 64, 128), the two steppers alternating in the same
 * rounds (`--gru-vs-lstm` runs only this part).
 *
 * Not a test: timings depend on the machine. Both sides run on one thread of this process,
 * interleaved in short rounds, timed in CPU time (median round), so the ratio is the meaningful
 * number even on a machine shared with other work.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { kerasLayer, RecurrentModel, type WeightTensor } from '../src/index.js';
import { buildTfjsStep, type TfjsCell } from './tfjs.step.js';

const INPUT_SIZE = 8;
/** `--quick` measures only the target row (LSTM, U = 64, B = 256). */
const QUICK = process.argv.includes('--quick');
/** `--gru-vs-lstm` measures only GRU against LSTM. */
const GRU_VS_LSTM_ONLY = process.argv.includes('--gru-vs-lstm');
const GRU_VS_LSTM_UNITS = [32, 64, 128];
const GRU_VS_LSTM_BATCH = 256;
const BATCHES = QUICK ? [256] : [1, 64, 256, 1024];
const UNITS = QUICK ? [64] : [32, 64, 128];
const CELLS: TfjsCell[] = QUICK ? ['lstm'] : ['lstm', 'gru'];
/** Wall time spent measuring each side of each row, split in ROUNDS rounds. */
const BUDGET_MS = 350;
const ROUNDS = 7;
/** Each contender runs this long before measuring, so both JITs (and tfjs kernels) are warm. */
const WARM_UP_MS = 250;

interface Row {
  cell: TfjsCell;
  units: number;
  batch: number;
  rnnflowKeyStepsPerSecond: number;
  tfjsKeyStepsPerSecond: number;
  rnnflowMicrosPerKeyStep: number;
  tfjsMicrosPerKeyStep: number;
  /** tfjs time over rnnflow time, both from and to Float32Arrays. */
  ratio: number;
  /** tfjs with inputs and states left in the backend (no upload/download). */
  tfjsResidentMicrosPerKeyStep: number;
  ratioResident: number;
}

function randomWeights(model: { name: string; shape: readonly number[] }[]): WeightTensor[] {
  return model.map((slot) => {
    const size = slot.shape.reduce((a, b) => a * b, 1);
    return {
      ...slot,
      values: Float32Array.from({ length: size }, () => (Math.random() - 0.5) * 0.4),
    };
  });
}

function buildModel(cell: TfjsCell, units: number): RecurrentModel {
  const G = cell === 'lstm' ? 4 : 3;
  const layer = kerasLayer(cell, units);
  return RecurrentModel.create({
    architecture: { inputSize: INPUT_SIZE, layers: [layer], head: null },
    weights: randomWeights([
      { name: 'layers/0/kernel', shape: [INPUT_SIZE, G * units] },
      { name: 'layers/0/recurrent_kernel', shape: [units, G * units] },
      { name: 'layers/0/bias', shape: [G * units] },
    ]),
  });
}

/** CPU seconds used by this process so far (user + system). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `step` for about `ms` milliseconds of wall time; returns CPU seconds per call. Both sides
 * run on this one thread (tfjs-wasm reports 1 thread here), so CPU time is their cost while
 * other processes on a shared machine steal wall time from either at random.
 */
function secondsPerCall(step: () => void, ms: number): number {
  let calls = 0;
  const start = performance.now();
  const cpuStart = cpuSeconds();
  while (performance.now() - start < ms || calls < 3) {
    step();
    calls++;
  }
  return (cpuSeconds() - cpuStart) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Seconds per call of each contender: after a warm-up, ROUNDS short rounds cycle through them
 * so that load from other processes hits all alike; the median round counts.
 */
function compare(contenders: readonly (() => void)[]): number[] {
  for (const run of contenders) secondsPerCall(run, WARM_UP_MS);
  const rounds = contenders.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    contenders.forEach((run, c) => rounds[c].push(secondsPerCall(run, BUDGET_MS / ROUNDS)));
  }
  return rounds.map(median);
}

function measure(cell: TfjsCell, units: number, batch: number): Row {
  const model = buildModel(cell, units);
  const inputs = Float32Array.from({ length: batch * INPUT_SIZE }, () => Math.random());
  const states = model.createStates(batch);
  const outputs = new Float32Array(batch * model.outputSize);
  const stepper = model.createStepper(batch);
  const tfjsStep = buildTfjsStep(cell, units, model.weights, batch);
  const [ours, tfjs, tfjsResident] = compare([
    () => stepper.step(inputs, states, batch, outputs),
    tfjsStep.step,
    tfjsStep.stepResident,
  ]);
  tfjsStep.dispose();
  const micros = (seconds: number) => (seconds * 1e6) / batch;
  return {
    cell,
    units,
    batch,
    rnnflowKeyStepsPerSecond: batch / ours,
    rnnflowMicrosPerKeyStep: micros(ours),
    tfjsKeyStepsPerSecond: batch / tfjs,
    tfjsMicrosPerKeyStep: micros(tfjs),
    ratio: tfjs / ours,
    tfjsResidentMicrosPerKeyStep: micros(tfjsResident),
    ratioResident: tfjsResident / ours,
  };
}

interface CellRow {
  units: number;
  batch: number;
  lstmMicrosPerKeyStep: number;
  gruMicrosPerKeyStep: number;
  /** GRU key-steps/s over LSTM key-steps/s. */
  gruSpeedup: number;
}

/** The rnnflow step of a fresh model of this cell, on random inputs. */
function stepperRun(cell: TfjsCell, units: number, batch: number): () => void {
  const model = buildModel(cell, units);
  const inputs = Float32Array.from({ length: batch * INPUT_SIZE }, () => Math.random());
  const states = model.createStates(batch);
  const outputs = new Float32Array(batch * model.outputSize);
  const stepper = model.createStepper(batch);
  return () => stepper.step(inputs, states, batch, outputs);
}

function measureCells(units: number, batch: number): CellRow {
  const [lstm, gru] = compare([stepperRun('lstm', units, batch), stepperRun('gru', units, batch)]);
  return {
    units,
    batch,
    lstmMicrosPerKeyStep: (lstm * 1e6) / batch,
    gruMicrosPerKeyStep: (gru * 1e6) / batch,
    gruSpeedup: lstm / gru,
  };
}

function gruVsLstm(): CellRow[] {
  console.log('\nGRU against LSTM, alternating rounds, I = 8, B = 256, CPU time\n');
  console.log('| U | LSTM µs/key-step | GRU µs/key-step | GRU key-steps/s ÷ LSTM |');
  console.log('|---:|---:|---:|---:|');
  return GRU_VS_LSTM_UNITS.map((units) => {
    const row = measureCells(units, GRU_VS_LSTM_BATCH);
    console.log(
      `| ${units} | ${row.lstmMicrosPerKeyStep.toFixed(3)} | ${row.gruMicrosPerKeyStep.toFixed(3)} | ${row.gruSpeedup.toFixed(2)}× |`,
    );
    return row;
  });
}

function format(n: number, digits: number): string {
  return n >= 1e6
    ? `${(n / 1e6).toFixed(2)}M`
    : n >= 1e3
      ? `${(n / 1e3).toFixed(1)}k`
      : n.toFixed(digits);
}

async function main(): Promise<void> {
  if (GRU_VS_LSTM_ONLY) {
    const cells = gruVsLstm();
    console.log(JSON.stringify({ bench: 'cells.gru-vs-lstm', inputSize: INPUT_SIZE, cells }));
    return;
  }
  const require = createRequire(import.meta.url);
  const wasmDir = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  setWasmPaths(`${wasmDir}${path.sep}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  const rows: Row[] = [];
  console.log(
    `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (${getThreadsCount()} thread), I = ${INPUT_SIZE}, Node ${process.version}, timed in CPU time\n`,
  );
  console.log(
    '| cell | U | B | rnnflow key-steps/s | rnnflow µs/key-step | tfjs-wasm key-steps/s | tfjs-wasm µs/key-step | ratio | tfjs-wasm resident µs/key-step | ratio vs resident |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const cell of CELLS) {
    for (const units of UNITS) {
      for (const batch of BATCHES) {
        const row = measure(cell, units, batch);
        rows.push(row);
        console.log(
          `| ${cell} | ${units} | ${batch} | ${format(row.rnnflowKeyStepsPerSecond, 0)} | ${row.rnnflowMicrosPerKeyStep.toFixed(3)} | ${format(row.tfjsKeyStepsPerSecond, 0)} | ${row.tfjsMicrosPerKeyStep.toFixed(3)} | ${row.ratio.toFixed(2)}× | ${row.tfjsResidentMicrosPerKeyStep.toFixed(3)} | ${row.ratioResident.toFixed(2)}× |`,
        );
      }
    }
  }
  const target = rows.find((r) => r.cell === 'lstm' && r.units === 64 && r.batch === 256)!;
  console.log(
    `\nLSTM B=256 U=64: ${target.ratio.toFixed(2)}× tfjs-wasm, ${target.ratioResident.toFixed(2)}× tfjs-wasm without upload/download (target ≥ 3×)`,
  );
  const cells = QUICK ? [] : gruVsLstm();
  console.log(JSON.stringify({ bench: 'cells.step', inputSize: INPUT_SIZE, rows, cells }));
}

await main();
