#!lua
-- Claim: move the reminders due by now from their channels' sets
-- ({p}:due:CHANNEL) into the outbox, as many as each channel can start,
-- or record those later than the grace as missed. The attempt count
-- travels in the entry ({p}:attempts holds only those tried before).
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
--   then triples: channel room digest (what each channel can start now;
--   "0": the channel sends each reminder alone, so its minute's reminders
--   need not come out together)
-- Returns { claimed, missed, next score or "", now, raw, step, more (1:
--   claim again, something due was left for want of batch), moved from
--   an older version's keys, { channel, due but waiting for room, ... } }
--@due
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
-- channel without room stays in its set until the channel has room, so
-- that a burst on one channel never holds back the others. A channel the
-- caller does not name (gone from its config) has no limit but the batch:
-- what is due for it comes out, to be recorded by the daemon.
local base = string.sub(KEYS[1], 1, #KEYS[1] - #'due')
local rooms, alone = {}, {}
for i = 11, #ARGV, 3 do
  rooms[ARGV[i]] = tonumber(ARGV[i + 1])
  alone[ARGV[i]] = ARGV[i + 2] == '0'
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
local more, moved = 0, 0

-- What nhacviec 0.1 left: every reminder in {p}:due, those that waited
-- for their channel in {p}:wait:CHANNEL. A batch of each per call goes
-- to its channel's set; one that names no channel is claimed from {p}:due
-- when due, as it is.
for _, ch in ipairs(redis.call('SMEMBERS', base .. 'waiting')) do
  local w = base .. 'wait:' .. ch
  local got = redis.call('ZRANGE', w, 0, batch - 1, 'WITHSCORES')
  local mids, mats = {}, {}
  for i = 1, #got, 2 do mids[#mids + 1] = got[i]; mats[#mats + 1] = got[i + 1] end
  if #mids > 0 then
    due_add(KEYS[1], mids, mats, 'NX')
    redis.call('ZREM', w, unpack(mids))
    moved = moved + #mids
  end
  if redis.call('ZCARD', w) == 0 then
    redis.call('SREM', base .. 'waiting', ch)
  end
end
local old = redis.call('ZRANGE', KEYS[1], 0, batch - 1, 'WITHSCORES')
if #old > 0 then
  local mids, mats, gone = {}, {}, {}
  for i = 1, #old, 2 do
    local id, at = old[i], old[i + 1]
    if due_split(id) then
      mids[#mids + 1] = id
      mats[#mats + 1] = at
      gone[#gone + 1] = id
    elseif tonumber(at) <= now then
      take({ id = id, at = at })
      gone[#gone + 1] = id
    end
  end
  if #mids > 0 then due_add(KEYS[1], mids, mats, 'NX') end
  if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end
  moved = moved + #mids
end
if moved > 0 then more = 1 end

-- Each channel's due reminders, as far as its room goes.
local left, nxt = {}, nil
local function later(at)
  if nxt == nil or tonumber(at) < tonumber(nxt) then nxt = at end
end
for _, ch in ipairs(due_channels(KEYS[1])) do
  local key = due_key(KEYS[1], ch)
  local r = rooms[ch] or batch
  if r > 0 and alone[ch] then
    -- Each reminder goes on its own: the first r, as they are due.
    local got = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'WITHSCORES',
        'LIMIT', 0, r)
    local gone = {}
    for i = 1, #got, 2 do
      ids[#ids + 1] = due_join(ch, got[i])
      ats[#ats + 1] = got[i + 1]
      gone[#gone + 1] = got[i]
    end
    if #gone > 0 then redis.call('ZREM', key, unpack(gone)) end
    r = r - #gone
  elseif r > 0 then
    -- A few times the room is looked at, so that a minute's reminders to
    -- one agency come out together.
    local got = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'WITHSCORES',
        'LIMIT', 0, math.max(r, math.min(4 * r, batch)))
    local list = {}
    for i = 1, #got, 2 do
      local id = due_join(ch, got[i])
      list[#list + 1] = { id = id, m = got[i], at = got[i + 1],
          min = math.floor(tonumber(got[i + 1]) / 60000), ag = agency_of(id),
          k = #list + 1 }
    end
    local gone, last = {}, nil
    for k, c in ipairs(grouped(list)) do
      if k > r and not same(last, c) then break end
      take(c)
      gone[#gone + 1] = c.m
      last = c
    end
    if #gone > 0 then redis.call('ZREM', key, unpack(gone)) end
    r = r - #gone
  end
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then
    redis.call('SREM', KEYS[1] .. 'sets', ch)
  elseif tonumber(first[2]) > now then
    later(first[2])
  elseif r > 0 then
    more = 1
  else
    left[#left + 1] = ch
    left[#left + 1] = redis.call('ZCOUNT', key, '-inf', now)
  end
end
local states = {}

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
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[2] then later(first[2]) end
return { claimed, missed, nxt or '', now, raw, step, more, moved, left }
