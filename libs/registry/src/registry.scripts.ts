import { LuaScripts } from '@rnnflow/redis';

/** The registry's scripts under `scripts/`, by file name without `-N` and `.lua`. */
export const registryScripts = new LuaScripts<'activateVersion' | 'rollbackVersion'>(
  new URL('./scripts/', import.meta.url),
);
