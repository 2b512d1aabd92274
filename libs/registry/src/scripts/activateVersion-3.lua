--[[
  Makes a version the active one and remembers the previous active version for rollback.

  KEYS[1] active      string, the active version
  KEYS[2] history     list of formerly active versions, most recent first
  KEYS[3] version     hash of the version to activate (must exist)

  ARGV[1] version number
  ARGV[2] channel announcing activations
  ARGV[3] how many formerly active versions to remember

  Returns the previously active version (0 when none), or
    -1 when the version does not exist.
]]
if redis.call('EXISTS', KEYS[3]) == 0 then
  return -1
end
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
if previous == tonumber(ARGV[1]) then
  return previous
end
redis.call('SET', KEYS[1], ARGV[1])
if previous > 0 then
  redis.call('LPUSH', KEYS[2], previous)
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
end
redis.call('PUBLISH', ARGV[2], ARGV[1])
return previous
