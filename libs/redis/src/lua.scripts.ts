import { readFileSync, readdirSync } from 'node:fs';
import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from './redis.connection.js';

/** A connection or a pipeline on one, as both accept the same commands. */
export type ScriptTarget = RedisConnection | ChainableCommander;

type ScriptArgument = string | Buffer | number;

interface LoadedScript {
  lua: string;
  /** Fixed KEYS count from a `-N` suffix; undefined when the caller passes it. */
  numberOfKeys: number | undefined;
}

const FILE_NAME = /^(\w+?)(?:-(\d+))?\.lua$/;
const INCLUDE = /^-- @include (\w+)$/gm;

/**
 * The Lua scripts of one library: every `verbNoun[-N].lua` file of `directory`, N being the
 * number of KEYS (BullMQ's convention; without it the caller passes the count), read once per
 * process with `-- @include name` lines expanded from `includes/`. `Name` lists the file names
 * without `-N` and `.lua`, which are the names scripts are called by.
 */
export class LuaScripts<Name extends string> {
  private scripts: Map<string, LoadedScript> | undefined;
  private readonly prepared = new WeakSet<RedisConnection>();

  constructor(private readonly directory: URL) {}

  /**
   * Registers the scripts on a connection (once). ioredis then calls them by EVALSHA; the first
   * call on each socket sends the body (EVAL, which caches it server-side), and a `NOSCRIPT`
   * reply — after `SCRIPT FLUSH`, a restart or a failover — makes it resend the body and go on
   * with EVALSHA.
   */
  prepare(connection: RedisConnection): void {
    if (this.prepared.has(connection)) return;
    for (const [name, script] of this.load()) {
      connection.defineCommand(name, { lua: script.lua, numberOfKeys: script.numberOfKeys });
    }
    this.prepared.add(connection);
  }

  /**
   * Queues (on a pipeline) or sends one script call, KEYS then ARGV; on a connection it returns
   * the reply's promise. The connection must have been prepared.
   */
  call(
    target: ScriptTarget,
    name: Name,
    keys: readonly (string | Buffer)[],
    args: readonly ScriptArgument[],
  ): unknown {
    const script = this.load().get(name);
    if (script === undefined) throw new Error(`no script ${name}.lua in ${this.directory.href}`);
    const command = (target as unknown as Record<string, (...parts: ScriptArgument[]) => unknown>)[
      name
    ];
    if (typeof command !== 'function')
      throw new Error(`script ${name} not prepared on this connection`);
    const head = script.numberOfKeys === undefined ? [keys.length] : [];
    return command.call(target, ...head, ...keys, ...args);
  }

  private load(): Map<string, LoadedScript> {
    this.scripts ??= new Map(
      readdirSync(this.directory)
        .filter((file) => file.endsWith('.lua'))
        .map((file) => {
          const match = FILE_NAME.exec(file);
          if (!match) throw new Error(`script file name ${file} is not verbNoun[-N].lua`);
          const source = readFileSync(new URL(file, this.directory), 'utf8');
          const lua = source.replace(INCLUDE, (_, include: string) =>
            readFileSync(new URL(`includes/${include}.lua`, this.directory), 'utf8'),
          );
          const numberOfKeys = match[2] === undefined ? undefined : Number(match[2]);
          return [match[1], { lua, numberOfKeys }];
        }),
    );
    return this.scripts;
  }
}
