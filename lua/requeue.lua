#!lua
-- Requeue: every dead letter of the id (or all of them with "*") back into
-- due at `at`, its state and attempts cleared.
-- KEYS: dead reminders state attempts due control
-- ARGV: id at
-- Returns how many.
local n = 0
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  local f, id, payload = e[2], nil, nil
  for i = 1, #f, 2 do
    if f[i] == 'id' then id = f[i + 1] end
    if f[i] == 'payload' then payload = f[i + 1] end
  end
  if id and (ARGV[1] == '*' or id == ARGV[1]) and payload and
      payload ~= '' and redis.call('HGET', KEYS[3], id) == 'dead' then
    redis.call('HSET', KEYS[2], id, payload)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('ZADD', KEYS[5], ARGV[2], id)
    redis.call('XDEL', KEYS[1], e[1])
    n = n + 1
  end
end
if n > 0 then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', 1000, '*', 'type', 'due',
      'at', ARGV[2])
end
return n
