-- Where reminders wait for their time (read in by the scripts that say
-- --@due): one sorted set per channel, {p}:due:CHANNEL, so that a burst due
-- on one channel is never in the way of another's, and {p}:duesets names
-- the channels that have one. A member is the reminder's id without its
-- channel at the end (TASK/DUE/SPEC/AGENCY in {p}:due:zalo), which keeps
-- most of them within Redis's 48-byte allocation; a fallback's id, which
-- ends in ~fallback-CHANNEL, is kept whole. An id that names no channel
-- this way stays in {p}:due itself, where nhacviec 0.1 kept every
-- reminder (claim moves what it finds there).
-- `due` below is the name of {p}:due.

-- The channel an id waits in and its member there (nil: {p}:due).
local function due_split(id)
  local fb = string.match(id, '~fallback%-([^/]+)$')
  if fb then return fb, id end
  local head, ch = string.match(id, '^(.+)/([^/]+)$')
  if head == nil or string.match(head, '~fallback%-[^/]+$') then
    return nil, id
  end
  return ch, head
end

-- The id of a member of channel ch's set.
local function due_join(ch, m)
  if string.match(m, '~fallback%-[^/]+$') then return m end
  return m .. '/' .. ch
end

local function due_key(due, ch)
  if ch == nil then return due end
  return due .. ':' .. ch
end

-- ZADD at for each id of ids (opts: 'NX' or nil); what Redis counted.
local function due_add(due, ids, ats, opts)
  local per, order = {}, {}
  for k, id in ipairs(ids) do
    local ch, m = due_split(id)
    local key = due_key(due, ch)
    local a = per[key]
    if a == nil then
      a = {}
      per[key] = a
      order[#order + 1] = key
      if ch then redis.call('SADD', due .. 'sets', ch) end
    end
    a[#a + 1] = ats[k]
    a[#a + 1] = m
  end
  local n = 0
  for _, key in ipairs(order) do
    local a = per[key]
    for c = 1, #a, 1000 do
      if opts then
        n = n + redis.call('ZADD', key, opts,
            unpack(a, c, math.min(#a, c + 999)))
      else
        n = n + redis.call('ZADD', key, unpack(a, c, math.min(#a, c + 999)))
      end
    end
  end
  return n
end

local function due_add1(due, at, id, opts)
  return due_add(due, { id }, { at }, opts)
end

-- ZREM, from {p}:due too (an older version's copy): 1 if it was due.
local function due_rem(due, id)
  local ch, m = due_split(id)
  local n = 0
  if ch then n = redis.call('ZREM', due_key(due, ch), m) end
  return math.max(n, redis.call('ZREM', due, id))
end

-- The fire time of each id of ids (false: not due), one ZMSCORE per set.
local function due_scores(due, ids)
  local per, order, out = {}, {}, {}
  for k, id in ipairs(ids) do
    local ch, m = due_split(id)
    local key = due_key(due, ch)
    local g = per[key]
    if g == nil then
      g = { ms = {}, ks = {} }
      per[key] = g
      order[#order + 1] = key
    end
    g.ms[#g.ms + 1] = m
    g.ks[#g.ks + 1] = k
    out[k] = false
  end
  for _, key in ipairs(order) do
    local g = per[key]
    local sc = redis.call('ZMSCORE', key, unpack(g.ms))
    for j, k in ipairs(g.ks) do out[k] = sc[j] end
  end
  return out
end

-- Every channel with a set, in order.
local function due_channels(due)
  local chans = redis.call('SMEMBERS', due .. 'sets')
  table.sort(chans)
  return chans
end
