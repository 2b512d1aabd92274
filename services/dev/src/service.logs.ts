import path from 'node:path';
import { pino, type Logger } from 'pino';

/** One evaluation of a training round, as the trainer reports it (losses are MSE). */
export interface TrainingPoint {
  /** Epoch ms when it was reported. */
  readonly time: number;
  /** Optimizer steps done in the round so far. */
  readonly step: number;
  readonly trainLoss: number;
  readonly validationLoss: number | null;
}

/** The services' loggers, all writing to one file of the report folder. */
export interface ServiceLogs {
  readonly file: string;
  logger(service: string): Logger;
  /** The trainer's logger; its per-epoch progress lines also feed {@link trainingPoints}. */
  trainerLogger(): Logger;
  trainingPoints(): readonly TrainingPoint[];
}

/**
 * The live view owns the terminal, so the services' JSON logs go to `<outDir>/services.log`
 * (info and above). The trainer logs each epoch's losses at debug level; those lines are read
 * back here rather than written, to draw the loss curves.
 */
export function openServiceLogs(outDir: string): ServiceLogs {
  const file = path.join(outDir, 'services.log');
  const destination = pino.destination({ dest: file, sync: true, mkdir: true });
  const points: TrainingPoint[] = [];
  const progressReader = {
    write(line: string) {
      const entry = JSON.parse(line) as {
        msg?: string;
        time: number;
        progress?: Omit<TrainingPoint, 'time'>;
      };
      if (entry.msg !== 'training progress' || entry.progress === undefined) return;
      const { step, trainLoss, validationLoss } = entry.progress;
      points.push({ time: entry.time, step, trainLoss, validationLoss });
    },
  };
  const make = (service: string, level: string, stream: pino.DestinationStream) =>
    pino({ name: service, level, base: { service } }, stream);
  return {
    file,
    logger: (service) => make(service, 'info', destination),
    trainerLogger: () =>
      make(
        'trainer',
        'debug',
        pino.multistream([
          { level: 'info', stream: destination },
          { level: 'debug', stream: progressReader },
        ]),
      ),
    trainingPoints: () => points,
  };
}
