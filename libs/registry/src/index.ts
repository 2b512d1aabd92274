export { watchActivations } from './activation.watcher.js';
export type { ActivationWatcher } from './activation.watcher.js';
export { ModelRegistry } from './model.registry.js';
export { RegistryError } from './registry.errors.js';
export type { NewVersion, VersionInfo } from './version.info.js';
