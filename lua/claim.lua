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
--   then pairs: channel room (what each channel can start now)
-- Returns { claimed, missed, next score or "", now, raw, step, more (1:
--   the batch was full), moved to wait, { channel, waiting, ... } }
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

-- Room per channel: what its sends in flight leave. A due reminder of a
-- channel without room waits in {p}:wait:CHANNEL (state `waiting`), so
-- that a burst on one channel never holds back the others; waiting ones
-- go first when their channel has room again. A channel the caller does
-- not name (gone from its config) has no limit: what waits for it comes
-- out, to be recorded by the daemon.
local base = string.sub(KEYS[1], 1, #KEYS[1] - #'due')
local rooms = {}
for i = 11, #ARGV, 2 do rooms[ARGV[i]] = tonumber(ARGV[i + 1]) end
local function channel_of(id)
  local fb = string.match(id, '~fallback%-([^/]+)$')
  if fb then return fb end
  return string.match(id, '([^/]*)$')
end
local batch = tonumber(ARGV[2])
-- Reminders of one minute to one agency on one channel are taken together
-- (the channel sends them as one digest): candidates are ordered by
-- minute, then agency, then as they came, before the room cuts them.
local function agency_of(id)
  return string.match(id, '^[^/]+/[^/]+/[^/]+/([^/]+)/') or
      string.match(id, '^adhoc/[^/]+/([^/]+)/') or ''
end
local function grouped(list)
  for k, c in ipairs(list) do
    c.min = math.floor(tonumber(c.at) / 60000)
    c.ag = agency_of(c.id)
    c.k = k
  end
  table.sort(list, function(x, y)
    if x.min ~= y.min then return x.min < y.min end
    if x.ag ~= y.ag then return x.ag < y.ag end
    return x.k < y.k
  end)
  return list
end
-- The room is exceeded rather than a minute's group cut in two.
local function same(a, b)
  return a ~= nil and a.min == b.min and a.ag == b.ag
end
local ids, ats = {}, {}
local function take(c) ids[#ids + 1] = c.id; ats[#ats + 1] = c.at end
for _, ch in ipairs(redis.call('SMEMBERS', base .. 'waiting')) do
  local r = rooms[ch] or batch
  if r > 0 then
    -- A few times the room is looked at, so that a minute's reminders to
    -- one agency come out together.
    local w = base .. 'wait:' .. ch
    local got = redis.call('ZRANGE', w, 0, 4 * r - 1, 'WITHSCORES')
    local list = {}
    for i = 1, #got, 2 do list[#list + 1] = { id = got[i], at = got[i + 1] } end
    local gone, last = {}, nil
    for k, c in ipairs(grouped(list)) do
      if k > r and not same(last, c) then break end
      take(c)
      gone[#gone + 1] = c.id
      last = c
    end
    if #gone > 0 then redis.call('ZREM', w, unpack(gone)) end
    if redis.call('ZCARD', w) == 0 then
      redis.call('SREM', base .. 'waiting', ch)
    end
    rooms[ch] = r - #gone
  end
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now,
    'WITHSCORES', 'LIMIT', 0, batch)
local more = 0
if #due / 2 >= batch then more = 1 end
local states, waits = {}, {}
if #due > 0 then
  local gone, per, order, dids = {}, {}, {}, {}
  for i = 1, #due, 2 do dids[#dids + 1] = due[i] end
  -- A finished reminder found due (a Redis that came back from an older
  -- copy, a retry that raced its own send) only leaves due: its outcome
  -- is in the ledger, and its state must not be overwritten.
  local st = redis.call('HMGET', KEYS[4], unpack(dids))
  for i = 1, #due, 2 do
    local id = due[i]
    local ch = channel_of(id)
    local s1 = st[(i + 1) / 2]
    gone[#gone + 1] = id
    if not (s1 == 'sent' or s1 == 'dead' or s1 == 'missed' or
        s1 == 'skipped') then
      if per[ch] == nil then per[ch] = {}; order[#order + 1] = ch end
      table.insert(per[ch], { id = id, at = due[i + 1] })
    end
  end
  for _, ch in ipairs(order) do
    local r, last, n = rooms[ch], nil, 0
    for k, c in ipairs(grouped(per[ch])) do
      if r == nil or k <= r or same(last, c) then
        take(c)
        last = c
        n = n + 1
      else
        local w = waits[ch]
        if w == nil then w = {}; waits[ch] = w end
        w[#w + 1] = c.at
        w[#w + 1] = c.id
        states[#states + 1] = c.id
        states[#states + 1] = 'waiting'
      end
    end
    if r then rooms[ch] = math.max(0, r - n) end
  end
  redis.call('ZREM', KEYS[1], unpack(gone))
end
local waited = 0
for ch, w in pairs(waits) do
  redis.call('ZADD', base .. 'wait:' .. ch, unpack(w))
  redis.call('SADD', base .. 'waiting', ch)
  waited = waited + #w / 2
end

local claimed, missed = 0, 0
if #ids > 0 then
  -- One call each for the batch: what Redis is asked per reminder is one
  -- XADD (a planned reminder's text is built from the plan when taken; a
  -- stored payload, an ad-hoc notice's, travels in the entry).
  local tries = redis.call('HMGET', KEYS[3], unpack(ids))
  local stored = redis.call('HMGET', KEYS[2], unpack(ids))
  -- A reminder finished already (a Redis that came back from an older copy
  -- can leave one due, or waiting, that a send in flight then finished) is
  -- not claimed again: its outcome is in the ledger.
  local was = redis.call('HMGET', KEYS[4], unpack(ids))
  local gone = {}
  for k, id in ipairs(ids) do
    local at = tonumber(ats[k])
    local st = was[k]
    if st == 'sent' or st == 'dead' or st == 'missed' or st == 'skipped' then
      -- left as it is
    elseif now - at > grace and (keep_after == nil or at < keep_after) then
      states[#states + 1] = id
      states[#states + 1] = 'missed'
      gone[#gone + 1] = id
      redis.call('XADD', KEYS[6], '*', 'id', id, 'outcome', 'missed',
          'fire_at', ats[k], 'at', now,
          'detail', 'not sent: more than the grace period late')
      missed = missed + 1
    else
      local n = (tonumber(tries[k]) or 0) + 1
      local late = 0
      if n == 1 and now - at > late_after then late = 1 end
      states[#states + 1] = id
      states[#states + 1] = 'queued'
      local esc_task, esc_due = string.match(id,
          '^([^/]+)/(%d%d%d%d%-%d%d%-%d%d)/escalate:')
      if stored[k] then
        redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', ats[k],
            'attempt', n, 'late', late, 'payload', stored[k])
      elseif esc_task then
        -- An escalation tells how the recipients stand: their follow-ups
        -- as they are now travel with it.
        local f, flat = {}, redis.call('HGETALL',
            base .. 'occ:' .. esc_task .. '/' .. esc_due)
        for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
        local js = '{}'
        if #flat > 0 then js = cjson.encode(f) end
        redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', ats[k],
            'attempt', n, 'late', late, 'follow', js)
      else
        redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', ats[k],
            'attempt', n, 'late', late)
      end
      claimed = claimed + 1
    end
  end
  if #gone > 0 then
    redis.call('HDEL', KEYS[2], unpack(gone))
    redis.call('HDEL', KEYS[3], unpack(gone))
  end
end
if #states > 0 then redis.call('HSET', KEYS[4], unpack(states)) end
-- What still waits, per channel: the caller claims again when one of
-- them has room.
local left = {}
for _, ch in ipairs(redis.call('SMEMBERS', base .. 'waiting')) do
  left[#left + 1] = ch
  left[#left + 1] = redis.call('ZCARD', base .. 'wait:' .. ch)
end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { claimed, missed, nxt[2] or '', now, raw, step, more, waited, left }
