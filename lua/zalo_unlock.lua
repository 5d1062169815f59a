#!lua
-- Zalo unlock: delete the refresh lock only if it is still ours.
-- KEYS: zalo_lock
-- ARGV: our lock value
-- Returns 1 when deleted.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
