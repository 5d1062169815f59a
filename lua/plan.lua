#!lua
-- Plan: put each planned reminder into {p}:due unless its state says it
-- was queued, sent, dead or missed already; remove reminders planned
-- earlier that are no longer in the plan (not started, fire time at or
-- after `from`; ad-hoc ones are never removed).
-- KEYS: due reminders state
-- ARGV: from n, then n times: id fire_at payload
-- Returns { added or moved, removed }
local from, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local want = {}
local added, removed = 0, 0
for i = 0, n - 1 do
  local id, at, payload = ARGV[3 + i * 3], ARGV[4 + i * 3], ARGV[5 + i * 3]
  want[id] = true
  if redis.call('HEXISTS', KEYS[3], id) == 0 then
    local old = redis.call('ZSCORE', KEYS[1], id)
    if old == false or tonumber(old) ~= tonumber(at) then
      added = added + 1
    end
    redis.call('ZADD', KEYS[1], at, id)
    redis.call('HSET', KEYS[2], id, payload)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf')) do
  if not want[id] and string.sub(id, 1, 6) ~= 'adhoc/' and
      redis.call('HEXISTS', KEYS[3], id) == 0 then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    removed = removed + 1
  end
end
return { added, removed }
