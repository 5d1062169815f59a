#!lua
-- Claim: move the reminders due by now (at most `batch`) from {p}:due into
-- the outbox, or record those later than the grace as missed. The attempt
-- count travels in the entry ({p}:attempts holds only those tried before).
-- "Now" is Redis's own clock (TIME), so every daemon claims by one clock;
-- a virtual clock (demos, tests) is applied on top of it as an offset.
-- KEYS: due reminders attempts state outbox log
-- ARGV: group batch grace_ms late_after_ms vbase vraw rate expect tolerance
--       keep_after
--   vbase vraw rate: virtual now = vbase + (raw - vraw) * rate ("" if real)
--   expect tolerance: the Redis time the caller expects now (its previous
--     reading plus its own monotonic time since) and the drift allowed;
--     "" at first. A larger jump is a step of the clock.
--   keep_after: fire times at or after it are never marked missed ("").
-- Returns { claimed, missed, next score or "", now, raw, step }
local t = redis.call('TIME')
local raw = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now, rate = raw, 1
if ARGV[5] ~= '' then
  rate = tonumber(ARGV[7])
  now = tonumber(ARGV[5]) + math.floor((raw - tonumber(ARGV[6])) * rate)
end
local grace, late_after = tonumber(ARGV[3]), tonumber(ARGV[4])
local keep_after = nil
if ARGV[10] ~= '' then keep_after = tonumber(ARGV[10]) end
local step = 0
if ARGV[8] ~= '' then
  step = raw - tonumber(ARGV[8])
  if math.abs(step) <= tonumber(ARGV[9]) then step = 0 end
end
if step > 0 then
  -- The clock jumped forward: what it jumped over is not missed.
  local before = now - math.floor(step * rate) - grace
  if keep_after == nil or before < keep_after then keep_after = before end
end
redis.pcall('XGROUP', 'CREATE', KEYS[5], ARGV[1], '0', 'MKSTREAM')
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now,
    'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local claimed, missed = 0, 0
if #due > 0 then
  -- One call each for the batch: what Redis is asked per reminder is one
  -- XADD (a planned reminder's text is built from the plan when taken; a
  -- stored payload, an ad-hoc notice's, travels in the entry).
  local ids = {}
  for i = 1, #due, 2 do ids[#ids + 1] = due[i] end
  redis.call('ZREM', KEYS[1], unpack(ids))
  local tries = redis.call('HMGET', KEYS[3], unpack(ids))
  local stored = redis.call('HMGET', KEYS[2], unpack(ids))
  local states = {}
  for k, id in ipairs(ids) do
    local at = tonumber(due[2 * k])
    if now - at > grace and (keep_after == nil or at < keep_after) then
      states[#states + 1] = id
      states[#states + 1] = 'missed'
      redis.call('XADD', KEYS[6], '*', 'id', id, 'outcome', 'missed',
          'fire_at', due[2 * k], 'at', now,
          'detail', 'not sent: more than the grace period late')
      missed = missed + 1
    else
      local n = (tonumber(tries[k]) or 0) + 1
      local late = 0
      if n == 1 and now - at > late_after then late = 1 end
      states[#states + 1] = id
      states[#states + 1] = 'queued'
      if stored[k] then
        redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', due[2 * k],
            'attempt', n, 'late', late, 'payload', stored[k])
      else
        redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', due[2 * k],
            'attempt', n, 'late', late)
      end
      claimed = claimed + 1
    end
  end
  redis.call('HSET', KEYS[4], unpack(states))
  if missed > 0 then
    local gone = {}
    for i = 1, #states, 2 do
      if states[i + 1] == 'missed' then gone[#gone + 1] = states[i] end
    end
    redis.call('HDEL', KEYS[2], unpack(gone))
    redis.call('HDEL', KEYS[3], unpack(gone))
  end
end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { claimed, missed, nxt[2] or '', now, raw, step }
