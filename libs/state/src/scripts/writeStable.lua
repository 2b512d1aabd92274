--[[
  Writes stable state records of one partition, each only if it is newer than the stored one,
  and only if the writer holds the partition's current fencing epoch.

  KEYS[1]       epoch key of the partition
  KEYS[2..n+1]  stable keys
  ARGV[1]       writer's epoch
  ARGV[2]       idle TTL in ms (0 = no expiry)
  ARGV[3..n+2]  encoded records, one per stable key; the offset is read from each record

  Returns -1 (fenced: nothing written), -2 (a record has no readable offset: nothing written),
  or one code per key: 1 applied, 0 stale (offset not newer than the stored one).
]]
-- @include recordOffset

if not holdsEpoch(KEYS[1], ARGV[1]) then
  return -1
end
local ttl = tonumber(ARGV[2])
local offsets = {}
for i = 2, #KEYS do
  offsets[i] = recordOffset(ARGV[i + 1], 1)
  if offsets[i] < 0 then
    return -2
  end
end
local results = {}
for i = 2, #KEYS do
  if offsets[i] > recordOffset(redis.call('GET', KEYS[i]), 1) then
    setWithTtl(KEYS[i], ARGV[i + 1], ttl)
    results[i - 1] = 1
  else
    results[i - 1] = 0
  end
end
return results
