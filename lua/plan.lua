#!lua
-- Plan: put each planned reminder into {p}:due unless its state says it
-- was queued, sent, dead, missed or skipped already; remove reminders
-- planned earlier that are no longer in the plan (not started, fire time
-- at or after `from`; ad-hoc ones, with a stored payload, are never
-- removed). A planned reminder is its id in {p}:due and nothing else: its
-- text is built from the plan when it is taken.
-- Every occurrence planned goes into {p}:occurrences (TASK/DUE -> the end
-- of its due day), the index of follow-ups that reports range over.
-- The [report] sends come last, with their payloads (what to report):
-- stored, and planned like the reminders; a send planned earlier whose
-- [report] section is gone is removed with its payload.
-- KEYS: due reminders state occurrences
-- ARGV: from n, then n times: id fire_at; then m, and m times:
--       occurrence end_ms; then k, and k times: id fire_at payload
-- Returns { added or moved, removed }
local from, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local m = tonumber(ARGV[3 + n * 2]) or 0
for i = 0, m - 1 do
  redis.call('ZADD', KEYS[4], 'NX', ARGV[5 + n * 2 + i * 2],
      ARGV[4 + n * 2 + i * 2])
end
local want = {}
local added, removed = 0, 0
local k0 = 4 + n * 2 + m * 2
for i = 0, (tonumber(ARGV[k0]) or 0) - 1 do
  local id, at = ARGV[k0 + 1 + i * 3], ARGV[k0 + 2 + i * 3]
  want[id] = true
  if redis.call('HEXISTS', KEYS[3], id) == 0 then
    local old = redis.call('ZSCORE', KEYS[1], id)
    if old == false or tonumber(old) ~= tonumber(at) then
      added = added + 1
      redis.call('ZADD', KEYS[1], at, id)
    end
    redis.call('HSET', KEYS[2], id, ARGV[k0 + 3 + i * 3])
  end
end
for i = 0, n - 1 do
  local id, at = ARGV[3 + i * 2], ARGV[4 + i * 2]
  want[id] = true
  if redis.call('HEXISTS', KEYS[3], id) == 0 then
    local old = redis.call('ZSCORE', KEYS[1], id)
    if old == false or tonumber(old) ~= tonumber(at) then
      added = added + 1
      redis.call('ZADD', KEYS[1], at, id)
    end
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf')) do
  local report = string.sub(id, 1, 7) == 'report:'
  if not want[id] and redis.call('HEXISTS', KEYS[3], id) == 0 and
      (report or redis.call('HEXISTS', KEYS[2], id) == 0) then
    redis.call('ZREM', KEYS[1], id)
    if report then redis.call('HDEL', KEYS[2], id) end
    removed = removed + 1
  end
end
return { added, removed }
