#!lua
-- Requeue: dead letters back into due at `at`, each with the payload the
-- caller gives (the stored text of an ad-hoc notice; "" for a planned
-- reminder, whose text the plan gives when it is taken), its state
-- `queued` (so no planning pass puts it back at its old time or records it
-- missed), its attempts cleared; its entries leave {p}:dead, and the
-- ledger says who sent it again. A reminder whose state
-- is not `dead` is left alone.
-- KEYS: dead reminders state attempts due control log
-- ARGV: at by, then pairs: id payload
-- Returns the ids requeued.
--@due
local want, done = {}, {}
for i = 3, #ARGV, 2 do
  if redis.call('HGET', KEYS[3], ARGV[i]) == 'dead' then
    want[ARGV[i]] = ARGV[i + 1]
  end
end
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  local f, id = e[2], nil
  for i = 1, #f, 2 do
    if f[i] == 'id' then id = f[i + 1] end
  end
  if id and want[id] then redis.call('XDEL', KEYS[1], e[1]) end
end
for id, payload in pairs(want) do
  -- A planned reminder's text is built from the plan when it is taken.
  if payload == '' then
    redis.call('HDEL', KEYS[2], id)
  else
    redis.call('HSET', KEYS[2], id, payload)
  end
  redis.call('HSET', KEYS[3], id, 'queued')
  redis.call('HDEL', KEYS[4], id)
  due_add1(KEYS[5], ARGV[1], id)
  redis.call('XADD', KEYS[7], '*', 'id', id, 'outcome', 'requeued',
      'at', ARGV[1], 'by', ARGV[2], 'detail', 'sent again by ' .. ARGV[2])
  done[#done + 1] = id
end
if #done > 0 then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', 1000, '*', 'type', 'due',
      'at', ARGV[1])
end
return done
