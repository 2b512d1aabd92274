export { createKeySignal } from './key.signal.js';
export { EventSource } from './event.source.js';
export type { EventSourceOptions } from './event.source.js';
export { runSimulator, ANOMALY_HEADER } from './simulator.service.js';
export type { SimulationSummary } from './simulator.service.js';
export { simulatorSettings } from './simulator.settings.js';
export type { SimulatorSettings } from './simulator.settings.js';
