--[[
  Goes back to the version that was active before the current one.

  KEYS[1] active      string, the active version
  KEYS[2] history     list of formerly active versions, most recent first
  KEYS[3] version     hash of the version to go back to (the head of history, read by the caller)

  ARGV[1] the version the caller read at the head of history
  ARGV[2] channel announcing activations

  Returns the version that was active before the rollback, or
    -1 when that version no longer exists (pruned by retention),
    -2 when history changed since the caller read it (call again),
    -3 when there is nothing to roll back to.
]]
local target = redis.call('LINDEX', KEYS[2], 0)
if not target then
  return -3
end
if target ~= ARGV[1] then
  return -2
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return -1
end
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('LPOP', KEYS[2])
redis.call('SET', KEYS[1], target)
redis.call('PUBLISH', ARGV[2], target)
return previous
