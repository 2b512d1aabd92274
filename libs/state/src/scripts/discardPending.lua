--[[
  Discards uncommitted pending records (tag L >= committed offset C) of one partition after a
  producer transaction aborted. Committed ones are kept: they are the state to use.

  KEYS[1]         epoch key of the partition
  KEYS[2..n+1]    pending keys
  ARGV[1]         writer's epoch
  ARGV[2]         committed offset C of the group for this partition (-1 if none yet)

  Returns -1 (fenced: nothing changed) or one code per key: 1 discarded,
  0 kept (committed), 2 none (no pending record).
]]
-- @include recordOffset

if not holdsEpoch(KEYS[1], ARGV[1]) then
  return -1
end
local committed = tonumber(ARGV[2])
local results = {}
for i = 2, #KEYS do
  local pendingBatch = pendingTag(redis.call('GET', KEYS[i]))
  if not pendingBatch then
    results[i - 1] = 2
  elseif pendingBatch >= committed then
    redis.call('DEL', KEYS[i])
    results[i - 1] = 1
  else
    results[i - 1] = 0
  end
end
return results
