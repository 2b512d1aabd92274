import { SingleBar } from 'cli-progress';

/** Progress of one phase of a run. */
export interface PhaseProgress {
  /** `done` of the phase's `total` units so far. */
  update(done: number): void;
  /** Ends the phase and prints its final line. */
  finish(summary: string): void;
}

/** Shows phases one after another on stderr: a bar on a terminal, one line per phase otherwise. */
export interface ProgressDisplay {
  phase(name: string, total: number, unit: string): PhaseProgress;
}

/** A display on `stream` (stderr, so stdout keeps only the table and the JSON line). */
export function createProgressDisplay(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay {
  return {
    phase: (name, total, unit) =>
      stream.isTTY ? barPhase(stream, name, total, unit) : linePhase(stream, name),
  };
}

function barPhase(
  stream: NodeJS.WriteStream,
  name: string,
  total: number,
  unit: string,
): PhaseProgress {
  const bar = new SingleBar({
    stream,
    fps: 4,
    hideCursor: true,
    barsize: 30,
    format: `${name.padEnd(28)} [{bar}] {value}/{total} ${unit} | {duration_formatted}`,
  });
  bar.start(total, 0);
  return {
    update: (done) => bar.update(Math.min(done, total)),
    finish: (summary) => {
      bar.update(total);
      bar.stop();
      stream.write(`  ${name}: ${summary}\n`);
    },
  };
}

function linePhase(stream: NodeJS.WriteStream, name: string): PhaseProgress {
  stream.write(`${name}…\n`);
  return { update: () => {}, finish: (summary) => stream.write(`  ${name}: ${summary}\n`) };
}
