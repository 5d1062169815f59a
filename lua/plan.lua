#!lua
-- Plan: put each planned reminder into {p}:due unless its state says it
-- was queued, sent, dead or missed already; remove reminders planned
-- earlier that are no longer in the plan (not started, fire time at or
-- after `from`; ad-hoc ones are never removed).
-- Every occurrence planned goes into {p}:occurrences (TASK/DUE -> the end
-- of its due day), the index of follow-ups that reports range over.
-- KEYS: due reminders state occurrences
-- ARGV: from n, then n times: id fire_at payload; then m, and m times:
--       occurrence end_ms
-- Returns { added or moved, removed }
-- A reminder whose follow-up stopped the reminders (done already) is
-- recorded skipped instead of planned.
local from, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local base = string.sub(KEYS[1], 1, #KEYS[1] - #'due')
local function stopped(id)
  local task, due, agency = string.match(id,
      '^([^/]+)/(%d%d%d%d%-%d%d%-%d%d)/[^/]+/([^/]+)/[^/]+$')
  if task == nil then return false end
  return redis.call('HEXISTS', base .. 'occ:' .. task .. '/' .. due,
      agency .. ':stopped') == 1
end
local m = tonumber(ARGV[3 + n * 3]) or 0
for i = 0, m - 1 do
  redis.call('ZADD', KEYS[4], 'NX', ARGV[5 + n * 3 + i * 2],
      ARGV[4 + n * 3 + i * 2])
end
local want = {}
local added, removed = 0, 0
for i = 0, n - 1 do
  local id, at, payload = ARGV[3 + i * 3], ARGV[4 + i * 3], ARGV[5 + i * 3]
  want[id] = true
  if redis.call('HEXISTS', KEYS[3], id) == 0 and stopped(id) then
    redis.call('HSET', KEYS[3], id, 'skipped')
  elseif redis.call('HEXISTS', KEYS[3], id) == 0 then
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
