--[[
  Promotes committed pending records (tag L < committed offset C) of one partition to stable,
  once the producer transaction is known to be committed. Uncommitted ones are left alone.

  KEYS[1]         epoch key of the partition
  KEYS[2i], KEYS[2i+1]  stable and pending key of entity i (i = 1..n)
  ARGV[1]         writer's epoch
  ARGV[2]         committed offset C of the group for this partition
  ARGV[3]         idle TTL in ms (0 = no expiry)

  Returns -1 (fenced: nothing changed) or one code per entity: 1 promoted, 0 stale (the stable
  record was already as new; the pending one is dropped), 2 none (no committed pending record).
]]
-- @include recordOffset

if not holdsEpoch(KEYS[1], ARGV[1]) then
  return -1
end
local committed = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local results = {}
for i = 1, (#KEYS - 1) / 2 do
  local stableKey, pendingKey = KEYS[2 * i], KEYS[2 * i + 1]
  local pending = redis.call('GET', pendingKey)
  local pendingBatch = pendingTag(pending)
  if not pendingBatch or pendingBatch >= committed then
    results[i] = 2
  else
    if recordOffset(pending, 9) > recordOffset(redis.call('GET', stableKey), 1) then
      setWithTtl(stableKey, string.sub(pending, 9), ttl)
      results[i] = 1
    else
      results[i] = 0
    end
    redis.call('DEL', pendingKey)
  end
end
return results
