-- Offset of the last event applied in a state record that starts at byte `at` (1-based) of
-- `blob`, read from its fixed float64 field (state.codec.ts: OFFSET_POSITION = 2), or -1 when
-- there is no record or it is not format version 1 (such a record may be overwritten).
local function recordOffset(blob, at)
  if not blob or string.len(blob) < at + 9 or string.byte(blob, at) ~= 1 then
    return -1
  end
  return (struct.unpack('<d', blob, at + 2))
end

-- Batch tag of a pending value (its first 8 bytes, float64), or nil when there is none.
local function pendingTag(blob)
  if not blob or string.len(blob) < 8 then
    return nil
  end
  return (struct.unpack('<d', blob, 1))
end

-- SET that honours the idle TTL: `ttl` ms, or no expiry when 0.
local function setWithTtl(key, value, ttl)
  if ttl > 0 then
    redis.call('SET', key, value, 'PX', ttl)
  else
    redis.call('SET', key, value)
  end
end

-- The caller's epoch must be the partition's current one.
local function holdsEpoch(epochKey, epoch)
  return redis.call('GET', epochKey) == epoch
end
