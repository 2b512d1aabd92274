export { SimulatorOptionError } from './simulator.errors.js';
export { createKeySignal, KeySignal, MAX_FEATURES, SIGNAL_KINDS } from './key.signal.js';
export type { SignalKind, SignalOptions, SignalSample } from './key.signal.js';
export type { Anomaly } from './anomaly.signal.js';
export { EventSource, TARGET_MODES } from './event.source.js';
export type { EventSourceOptions, SimulatedRecord, TargetMode } from './event.source.js';
