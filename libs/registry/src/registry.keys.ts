/**
 * Every Redis key and channel of the model registry. All keys of one model share the hash tag
 * `{<model>}`, so they live in one Redis Cluster slot and a Lua script may touch them together.
 */
export interface RegistryKeys {
  /** Counter behind increasing version numbers. */
  nextVersion: string;
  /** Sorted set of existing versions (score = version). */
  versions: string;
  /** Hash of one version: `artefact` (bytes) and `info` (JSON). */
  version(version: number): string;
  /** The version predictors serve. */
  active: string;
  /** List of formerly active versions, most recent first: what `rollback` goes back to. */
  history: string;
  /** Pub/sub channel announcing each activation (a hint: subscribers also poll `active`). */
  activatedChannel: string;
}

export function registryKeys(model: string): RegistryKeys {
  const prefix = `rnnflow:registry:{${model}}`;
  return {
    nextVersion: `${prefix}:next`,
    versions: `${prefix}:versions`,
    version: (version) => `${prefix}:v:${version}`,
    active: `${prefix}:active`,
    history: `${prefix}:history`,
    activatedChannel: `${prefix}:activated`,
  };
}
