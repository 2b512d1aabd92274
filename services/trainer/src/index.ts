export { trainerSettings } from './trainer.settings.js';
export type { TrainerSettings } from './trainer.settings.js';
export { startTrainer } from './trainer.service.js';
export type { TrainerHandle } from './trainer.service.js';
export { trainOnce } from './trainer.once.js';
export type { OnceSummary } from './trainer.once.js';
export { RoundLog, roundLogKey, ROUND_LOG_LENGTH } from './round.log.js';
export type { RoundOutcome, RoundRecord } from './round.log.js';
export { TrainerError } from './trainer.error.js';
