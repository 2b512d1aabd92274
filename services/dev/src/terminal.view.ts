import { SingleBar } from 'cli-progress';
import { createLogUpdate } from 'log-update';
import { dashboardLines, plainLine, type LiveStatus } from './live.status.js';

/** How long a step of the run took, seconds. */
export interface PhaseTiming {
  readonly phase: string;
  readonly seconds: number;
}

/** What the user sees on stderr: long steps with their time, then the live dashboard. */
export interface TerminalView {
  /** Runs `work`, showing `label` until it ends and how long it took afterwards. */
  phase<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** Shows the latest status (call about once a second). */
  live(status: LiveStatus): void;
  /** Leaves the last dashboard on screen. */
  finish(): void;
  /** Every phase so far, in order. */
  timings(): readonly PhaseTiming[];
}

/** Without a terminal, a status line every this many refreshes (about 5 s). */
const PLAIN_EVERY = 5;

/**
 * On a terminal, a line per step counting its seconds (cli-progress, as the other commands'
 * progress) and a dashboard redrawn in place (log-update); otherwise (CI logs, tests) one line
 * per step and a status line every few seconds.
 */
export function createTerminalView(stream: NodeJS.WriteStream = process.stderr): TerminalView {
  const timings: PhaseTiming[] = [];
  const timed = async <T>(label: string, work: () => Promise<T>, show: ShowPhase): Promise<T> => {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const stopShowing = show(label);
    try {
      const result = await work();
      stopShowing(`✔ ${label} (${elapsed().toFixed(1)} s)`);
      return result;
    } catch (error) {
      stopShowing(`✖ ${label} failed after ${elapsed().toFixed(1)} s`);
      throw error;
    } finally {
      timings.push({ phase: label, seconds: Number(elapsed().toFixed(2)) });
    }
  };
  return stream.isTTY ? ttyView(stream, timed, timings) : plainView(stream, timed, timings);
}

type ShowPhase = (label: string) => (finalLine: string) => void;
type Timed = <T>(label: string, work: () => Promise<T>, show: ShowPhase) => Promise<T>;

function ttyView(stream: NodeJS.WriteStream, timed: Timed, timings: PhaseTiming[]): TerminalView {
  const update = createLogUpdate(stream);
  const showPhase: ShowPhase = (label) => {
    const line = new SingleBar({
      stream,
      fps: 8,
      hideCursor: true,
      clearOnComplete: true,
      format: `${label}… {duration} s`,
    });
    line.start(1, 0);
    return (finalLine) => {
      line.stop();
      stream.write(`${finalLine}\n`);
    };
  };
  return {
    phase: (label, work) => timed(label, work, showPhase),
    live: (status) => update(dashboardLines(status).join('\n')),
    finish: () => update.done(),
    timings: () => timings,
  };
}

function plainView(stream: NodeJS.WriteStream, timed: Timed, timings: PhaseTiming[]): TerminalView {
  let refreshes = 0;
  const showPhase: ShowPhase = (label) => {
    stream.write(`${label}…\n`);
    return (finalLine) => stream.write(`${finalLine}\n`);
  };
  return {
    phase: (label, work) => timed(label, work, showPhase),
    live: (status) => {
      if (refreshes++ % PLAIN_EVERY === 0) stream.write(`${plainLine(status)}\n`);
    },
    finish: () => {},
    timings: () => timings,
  };
}
