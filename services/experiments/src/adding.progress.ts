import { MultiBar, type SingleBar } from 'cli-progress';
import type { SweepProgress } from './adding.run.js';

/** Shows training progress; `stop` releases the terminal line. */
export interface AddingProgressReporter {
  update(progress: SweepProgress): void;
  stop(): void;
}

/**
 * On a terminal, one cli-progress bar per (sequence length, cell) with its latest validation
 * MSE; otherwise (a pipe, a CI log) one line per evaluation. Always on `stream`, stderr by default, so stdout
 * keeps only the table.
 */
export function createAddingProgress(
  stream: NodeJS.WriteStream = process.stderr,
): AddingProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream): AddingProgressReporter {
  const bars = new MultiBar({
    stream,
    fps: 4,
    hideCursor: true,
    barsize: 30,
    format: '{cell} [{bar}] {value}/{total} steps | validation MSE {mse} | {duration}s',
  });
  const byLabel = new Map<string, SingleBar>();
  return {
    update(progress) {
      // Trainings run side by side, so each (length, cell) keeps a bar of its own.
      const label = `T=${progress.seqLen} ${progress.cell}`;
      const payload = { cell: label, mse: progress.validationMse.toFixed(4) };
      const bar = byLabel.get(label);
      if (bar) bar.update(progress.step, payload);
      else byLabel.set(label, bars.create(progress.totalSteps, progress.step, payload));
    },
    stop: () => bars.stop(),
  };
}

function lineReporter(stream: NodeJS.WritableStream): AddingProgressReporter {
  return {
    update: (p) =>
      stream.write(
        `T=${p.seqLen} ${p.cell} step ${p.step}/${p.totalSteps} validation MSE ${p.validationMse.toFixed(4)} ` +
          `train MSE ${p.trainMse.toFixed(4)} ${p.elapsedSeconds.toFixed(1)} s\n`,
      ),
    stop: () => {},
  };
}
