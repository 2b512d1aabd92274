import { readFileSync, readdirSync } from 'node:fs';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/** A connection or a pipeline on one, as both accept the same commands. */
export type ScriptTarget = Redis | Cluster | ChainableCommander;

/** Names of the scripts under `src/scripts/` (file name without `-N` and `.lua`). */
export type ScriptName =
  'writeStable' | 'writePending' | 'promotePending' | 'discardPending' | 'deleteIfUnchanged';

interface LoadedScript {
  name: ScriptName;
  lua: string;
  /** Fixed KEYS count from a `-N` suffix; undefined when the caller passes it. */
  numberOfKeys: number | undefined;
}

const SCRIPTS_DIRECTORY = new URL('./scripts/', import.meta.url);
const INCLUDE = /^-- @include (\w+)$/gm;
let scripts: LoadedScript[] | undefined;
const prepared = new WeakSet<Redis | Cluster>();

/** Reads every script once per process, expanding `-- @include name` lines from `includes/`. */
function loadScripts(): LoadedScript[] {
  scripts ??= readdirSync(SCRIPTS_DIRECTORY)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^(\w+?)(?:-(\d+))?\.lua$/.exec(file);
      if (!match) throw new Error(`script file name ${file} is not verbNoun[-N].lua`);
      const source = readFileSync(new URL(file, SCRIPTS_DIRECTORY), 'utf8');
      return {
        name: match[1] as ScriptName,
        lua: source.replace(INCLUDE, (_, include: string) =>
          readFileSync(new URL(`includes/${include}.lua`, SCRIPTS_DIRECTORY), 'utf8'),
        ),
        numberOfKeys: match[2] === undefined ? undefined : Number(match[2]),
      };
    });
  return scripts;
}

/**
 * Registers the scripts on a connection (once). ioredis then calls them by EVALSHA; the first call
 * on each socket sends the body (EVAL, which caches it server-side), and a `NOSCRIPT` reply — after
 * `SCRIPT FLUSH`, a restart or a failover — makes it resend the body and go on with EVALSHA.
 */
export function prepareScripts(connection: Redis | Cluster): void {
  if (prepared.has(connection)) return;
  for (const script of loadScripts()) {
    connection.defineCommand(script.name, { lua: script.lua, numberOfKeys: script.numberOfKeys });
  }
  prepared.add(connection);
}

type ScriptCall = (...args: (string | Buffer | number)[]) => unknown;

/** Queues (on a pipeline) or sends one script call; KEYS then ARGV. */
export function callScript(
  target: ScriptTarget,
  name: ScriptName,
  keys: readonly (string | Buffer)[],
  args: readonly (string | Buffer | number)[],
): unknown {
  const call = (target as unknown as Record<ScriptName, ScriptCall>)[name];
  if (typeof call !== 'function') throw new Error(`script ${name} not prepared on this connection`);
  const fixed = loadScripts().find((script) => script.name === name)?.numberOfKeys;
  const head = fixed === undefined ? [keys.length] : [];
  return call.call(target, ...head, ...keys, ...args);
}
