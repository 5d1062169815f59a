#!lua
-- Release: the reminders a channel held while it was paused are due again
-- at `now` (the daemon's clock, as every score in due), unless the channel
-- is paused again. Run by a daemon that sees the channel is not paused.
-- KEYS: pauses held due
-- ARGV: channel now
-- Returns the reminders released.
--@due
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local n, flat = 0, redis.call('HGETALL', KEYS[2])
for i = 1, #flat, 2 do
  if flat[i + 1] == ARGV[1] then
    redis.call('HDEL', KEYS[2], flat[i])
    due_add1(KEYS[3], ARGV[2], flat[i])
    n = n + 1
  end
end
return n
