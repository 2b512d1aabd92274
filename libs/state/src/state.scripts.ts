import { LuaScripts } from '@rnnflow/redis';

/** The state scripts under `scripts/`, by file name without `-N` and `.lua`. */
export type StateScriptName =
  'writeStable' | 'writePending' | 'promotePending' | 'discardPending' | 'deleteIfUnchanged';

export const stateScripts = new LuaScripts<StateScriptName>(new URL('./scripts/', import.meta.url));
