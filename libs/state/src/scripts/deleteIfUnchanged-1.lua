--[[
  Deletes a key only if it still holds the given value: resets a corrupt record without racing a
  writer that replaced it meanwhile.

  KEYS[1]  the key
  ARGV[1]  the value seen by the reader

  Returns 1 deleted, 0 left alone (value changed or key gone).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
