import type { RecurrentModel } from '@rnnflow/cells';

export interface ThroughputOptions {
  /** Keys advanced per `step` call; default 256. */
  readonly keys?: number;
  /** Timed rounds; the median is reported. Default 7. */
  readonly rounds?: number;
  /** CPU time each round runs for at least, ms; default 60. */
  readonly roundMs?: number;
}

/**
 * Single-step inference throughput of rnnflow's own step kernels for `model`: key-steps per
 * second of `createStepper(keys).step(...)` on random inputs, each call advancing every key by
 * one event. Timed in process CPU time (the loop is single-threaded) and reported as the median
 * round, so other work on a shared machine skews it less than wall time would.
 */
export function measureStepThroughput(
  model: RecurrentModel,
  options: ThroughputOptions = {},
): number {
  const keys = options.keys ?? 256;
  const rounds = options.rounds ?? 7;
  const roundMicros = (options.roundMs ?? 60) * 1000;
  const stepper = model.createStepper(keys);
  const inputs = Float32Array.from({ length: keys * model.inputSize }, () => Math.random());
  const states = model.createStates(keys);
  const outputs = new Float32Array(keys * model.outputSize);
  for (let warmup = 0; warmup < 50; warmup++) stepper.step(inputs, states, keys, outputs);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    let calls = 0;
    let micros = 0;
    while (micros < roundMicros) {
      for (let i = 0; i < 20; i++) stepper.step(inputs, states, keys, outputs);
      calls += 20;
      const used = process.cpuUsage(start);
      micros = used.user + used.system;
    }
    rates.push((calls * keys * 1e6) / micros);
  }
  return median(rates);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
