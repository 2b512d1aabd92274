import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '@rnnflow/cells';
import type {
  AddingCell,
  AddingCellResult,
  AddingExperimentOptions,
  AddingExperimentResult,
  AddingProgress,
} from '@rnnflow/training';

/** One training of the sweep: a cell at a sequence length, with the settings every run shares. */
export interface AddingJob {
  readonly seqLen: number;
  readonly cell: AddingCell;
  readonly training: Omit<AddingExperimentOptions, 'seqLen' | 'cells' | 'onProgress'>;
}

/** What a worker posts: progress while it trains, then its one result. */
export type WorkerMessage =
  | { kind: 'progress'; progress: AddingProgress }
  | {
      kind: 'result';
      shared: Omit<AddingExperimentResult, 'cells'>;
      cell: Omit<AddingCellResult, 'model'>;
      model: Uint8Array;
    };

export interface JobOutcome {
  readonly job: AddingJob;
  /** What the training reports besides the cell: length, threshold, baseline, backend. */
  readonly shared: Omit<AddingExperimentResult, 'cells'>;
  readonly cell: AddingCellResult;
}

const WORKER_ENTRY = fileURLToPath(new URL('./adding.worker.ts', import.meta.url));

function runJob(
  job: AddingJob,
  running: Set<ChildProcess>,
  onProgress: (progress: AddingProgress) => void,
) {
  return new Promise<JobOutcome>((resolve, reject) => {
    const child = fork(WORKER_ENTRY, [JSON.stringify(job)], {
      // This process's V8 flags, and tsx to load the TypeScript entry.
      execArgv: [...process.execArgv, '--import', import.meta.resolve('tsx')],
      serialization: 'advanced',
    });
    running.add(child);
    let outcome: JobOutcome | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') return onProgress(message.progress);
      const cell = { ...message.cell, model: decodeModel(message.model) };
      outcome = { job, shared: message.shared, cell };
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (outcome) resolve(outcome);
      else {
        const how = signal ?? `code ${code}`;
        reject(new Error(`the T=${job.seqLen} ${job.cell} training exited (${how})`));
      }
    });
  });
}

/**
 * Runs the jobs in at most `concurrency` child processes, longest sequences first (they take
 * longest), and returns the outcomes in the jobs' order. Each training is single-threaded, so
 * on a machine with several cores they run side by side; each result depends only on its job,
 * never on which ran beside it. Processes, not worker threads: two trainings in threads of one
 * process ran at 0.55-0.7x their speed alone (V8 heap pages of one address space), two
 * processes at 0.86-1x. A failed training stops the others.
 */
export async function trainInWorkers(
  jobs: readonly AddingJob[],
  concurrency: number,
  onProgress: (job: AddingJob, progress: AddingProgress) => void,
): Promise<JobOutcome[]> {
  const queue = [...jobs].sort((a, b) => b.seqLen - a.seqLen);
  const outcomes = new Map<AddingJob, JobOutcome>();
  const running = new Set<ChildProcess>();
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const current = job;
      outcomes.set(job, await runJob(job, running, (progress) => onProgress(current, progress)));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  } catch (error) {
    queue.length = 0;
    await Promise.all(
      [...running].map((child) => {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        return exited;
      }),
    );
    throw error;
  }
  return jobs.map((job) => outcomes.get(job)!);
}
