export { trainerSettings } from './trainer.settings.js';
export type { TrainerSettings } from './trainer.settings.js';
export { startTrainer } from './trainer.service.js';
export { trainOnce } from './trainer.once.js';
export { RoundLog } from './round.log.js';
export type { RoundRecord } from './round.log.js';
