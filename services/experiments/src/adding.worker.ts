/**
 * Child-process entry: trains one cell at one sequence length (see `adding.workers.ts`), sending
 * its progress and then its result, with the trained model encoded as an artefact.
 */
import { encodeModel } from '@rnnflow/cells';
import { runAddingExperiment } from '@rnnflow/training';
import type { AddingJob, WorkerMessage } from './adding.workers.js';

// The parent gone (killed, or stopping after another training failed), this one has no reader.
process.on('disconnect', () => process.exit(1));

const post = (message: WorkerMessage) =>
  new Promise<void>((resolve, reject) =>
    process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );

const job = JSON.parse(process.argv[2]) as AddingJob;
const experiment = await runAddingExperiment({
  ...job.training,
  seqLen: job.seqLen,
  cells: [job.cell],
  onProgress: (progress) => void post({ kind: 'progress', progress }),
});
const { cells, ...shared } = experiment;
const { model, ...cell } = cells[0];
await post({ kind: 'result', shared, cell, model: encodeModel(model) });
process.disconnect();
