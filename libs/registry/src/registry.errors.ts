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

/** Negative codes the registry's Lua scripts return instead of a version. */
enum RegistryScriptCode {
  /** The version to activate does not exist (never published, or pruned by retention). */
  UnknownVersion = -1,
  /** The activation history changed between the caller's read and the script. */
  ConcurrentChange = -2,
  /** There is no formerly active version to go back to. */
  NothingToRollBack = -3,
}

/**
 * Maps a script reply to the version it carries, or throws the RegistryError its negative code
 * stands for. `version` is the version the script was asked to activate.
 */
export function readScriptReply(reply: unknown, model: string, version: number): number {
  switch (reply) {
    case RegistryScriptCode.UnknownVersion:
      throw unknownVersion(model, version);
    case RegistryScriptCode.ConcurrentChange:
      throw new RegistryError(
        'REGISTRY_CONCURRENT_CHANGE',
        `model "${model}" changed during rollback; try again`,
        { retriable: true },
      );
    case RegistryScriptCode.NothingToRollBack:
      throw nothingToRollBack(model);
  }
  return reply as number;
}

export function unknownVersion(model: string, version: number): RegistryError {
  return new RegistryError(
    'REGISTRY_UNKNOWN_VERSION',
    `model "${model}" has no version ${version} (see \`rnnflow model list --model ${model}\`)`,
  );
}

export function nothingToRollBack(model: string): RegistryError {
  return new RegistryError(
    'REGISTRY_NOTHING_TO_ROLL_BACK',
    `model "${model}" has no earlier active version to roll back to`,
  );
}
