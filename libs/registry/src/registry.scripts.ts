import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

export type RedisConnection = Redis | Cluster;

const SCRIPT_NAMES = ['activateVersion-3', 'rollbackVersion-3'] as const;
type ScriptName = (typeof SCRIPT_NAMES)[number];

const sources = new Map<ScriptName, string>(
  SCRIPT_NAMES.map((name) => [
    name,
    readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8'),
  ]),
);
const defined = new WeakSet<RedisConnection>();

/**
 * Runs one of the registry's Lua scripts. ioredis sends EVALSHA and falls back to EVAL (which
 * loads the script) on NOSCRIPT, so each script crosses the wire once per server restart.
 * The number of keys is part of the file name, as in BullMQ.
 */
export async function runScript(
  redis: RedisConnection,
  name: ScriptName,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<number> {
  if (!defined.has(redis)) {
    for (const [scriptName, lua] of sources) {
      redis.defineCommand(scriptName, { lua, numberOfKeys: Number(scriptName.split('-')[1]) });
    }
    defined.add(redis);
  }
  const command = (
    redis as unknown as Record<string, (...parts: (string | number)[]) => Promise<number>>
  )[name];
  return command.call(redis, ...keys, ...args);
}
