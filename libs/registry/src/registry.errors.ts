import { RnnflowError } from '@rnnflow/errors';

export type RegistryErrorCode =
  | 'REGISTRY_BAD_MODEL_NAME'
  | 'REGISTRY_UNKNOWN_VERSION'
  | 'REGISTRY_NO_ACTIVE_VERSION'
  | 'REGISTRY_NOTHING_TO_ROLL_BACK'
  | 'REGISTRY_CONCURRENT_CHANGE';

export class RegistryError extends RnnflowError {
  declare readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options: { retriable?: boolean } = {}) {
    super(code, message, options);
  }
}
