--[[
  Stages pending records of one partition for a producer transaction whose last input offset is
  the batch tag L. Rule shared by every reader and writer: a pending record tagged L is committed
  iff the group's committed offset C > L.

  Per key: a committed pending left by a crash before promotion is first promoted (or dropped if
  the stable one is newer); then the new record is staged if its offset is newer than the stable
  one. An uncommitted pending (tag >= C: an aborted or replayed batch) is simply replaced.

  KEYS[1]         epoch key of the partition
  KEYS[2i], KEYS[2i+1]  stable and pending key of entity i (i = 1..n)
  ARGV[1]         writer's epoch
  ARGV[2]         idle TTL in ms (0 = no expiry)
  ARGV[3]         batch tag L (offset of the batch's last input)
  ARGV[4]         committed offset C of the group for this partition (-1 if none yet)
  ARGV[4+i]       encoded record of entity i

  Returns -1 (fenced: nothing written), -2 (a record has no readable offset: nothing written),
  or one code per entity: 1 staged, 0 stale (offset not newer than the stable/committed state).
]]
-- @include recordOffset

if not holdsEpoch(KEYS[1], ARGV[1]) then
  return -1
end
local ttl = tonumber(ARGV[2])
local tag = struct.pack('<d', tonumber(ARGV[3]))
local committed = tonumber(ARGV[4])
local count = (#KEYS - 1) / 2
for i = 1, count do
  if recordOffset(ARGV[4 + i], 1) < 0 then
    return -2
  end
end
local results = {}
for i = 1, count do
  local stableKey, pendingKey = KEYS[2 * i], KEYS[2 * i + 1]
  local current = recordOffset(redis.call('GET', stableKey), 1)
  local pending = redis.call('GET', pendingKey)
  local pendingBatch = pendingTag(pending)
  if pendingBatch and pendingBatch < committed then
    local pendingOffset = recordOffset(pending, 9)
    if pendingOffset > current then
      setWithTtl(stableKey, string.sub(pending, 9), ttl)
      current = pendingOffset
    end
    redis.call('DEL', pendingKey)
  end
  local record = ARGV[4 + i]
  if recordOffset(record, 1) > current then
    setWithTtl(pendingKey, tag .. record, ttl)
    results[i] = 1
  else
    results[i] = 0
  end
end
return results
