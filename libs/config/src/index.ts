export { ConfigError } from './config.errors.js';
export { loadSettings, setting } from './settings.js';
export type { SettingSpecs, SettingsOf } from './settings.js';
export {
  booleanSchema,
  featureIndexListSchema,
  portSchema,
  positiveIntegerSchema,
  redisUrlSchema,
} from './schemas.js';
export { z } from 'zod';
export {
  kafkaSettings,
  loggingSettings,
  metricsHostSetting,
  redisSettings,
  startupSettings,
} from './common.settings.js';
export { environmentWithoutSettings } from './child.environment.js';
