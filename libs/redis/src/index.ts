export { LuaScripts } from './lua.scripts.js';
export type { RedisConnection } from './redis.connection.js';
