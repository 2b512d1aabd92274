export { watchActivations } from './activation.watcher.js';
export type { ActivationWatcher, WatchOptions } from './activation.watcher.js';
export { ModelRegistry } from './model.registry.js';
export type { RegistryOptions } from './model.registry.js';
export { RegistryError } from './registry.error.js';
export type { RegistryErrorCode } from './registry.error.js';
export type { NewVersion, VersionInfo, VersionSource } from './version.info.js';
