#!lua
-- Take: outbox entries for this consumer (new ones, its own history from
-- a cursor, or entries idle too long in any consumer's hands), each with
-- what Redis knows of its reminder. Entries whose reminder is finished
-- already (a second copy) are acknowledged and dropped with a `skipped`
-- ledger entry; entries delivered `max` times or more (in flight at two
-- stops of a daemon: a crash or hang loop) become dead letters untried;
-- those of reminders skipped since they were claimed (their agency
-- reported the occurrence done) are dropped.
-- KEYS: outbox state log dead reminders attempts
-- ARGV: group consumer mode cursor count idle_ms max now
--   mode: new | history | reclaim
-- Returns { next cursor ("" when there is no more), dropped,
--           { { entry id, fields }, ... } }
local group, me, mode = ARGV[1], ARGV[2], ARGV[3]
local count, max, now = tonumber(ARGV[5]), tonumber(ARGV[7]), ARGV[8]
local entries, nxt = {}, ''
if mode == 'reclaim' then
  local r = redis.call('XAUTOCLAIM', KEYS[1], group, me, ARGV[6], ARGV[4],
      'COUNT', count)
  entries = r[2]
  if r[1] ~= '0-0' then nxt = r[1] end
else
  local from = '>'
  if mode == 'history' then from = ARGV[4] end
  local r = redis.call('XREADGROUP', 'GROUP', group, me, 'COUNT', count,
      'STREAMS', KEYS[1], from)
  if r then entries = r[1][2] end
  if mode == 'history' and #entries > 0 then nxt = entries[#entries][1] end
end
if #entries == 0 then return { nxt, 0, {} } end

local deliveries = {}
if mode ~= 'new' then
  for _, p in ipairs(redis.call('XPENDING', KEYS[1], group,
      entries[1][1], entries[#entries][1], 1000000, me)) do
    deliveries[p[1]] = tonumber(p[4])
  end
end

-- One call for the states of the whole read.
local ids = {}
for k, e in ipairs(entries) do
  local f = e[2]
  ids[k] = ''
  for i = 1, #f, 2 do
    if f[i] == 'id' then ids[k] = f[i + 1] end
  end
end
local states = redis.call('HMGET', KEYS[2], unpack(ids))

local out, dropped = {}, 0
for k, e in ipairs(entries) do
  local id, st = ids[k], states[k]
  if id == '' then id = nil end
  if st == 'skipped' then
    -- Its agency reported the occurrence done: follow.lua said why.
    redis.call('XACK', KEYS[1], group, e[1])
    redis.call('XDEL', KEYS[1], e[1])
    dropped = dropped + 1
  elseif st == 'sent' or st == 'dead' or st == 'missed' then
    redis.call('XACK', KEYS[1], group, e[1])
    redis.call('XDEL', KEYS[1], e[1])
    redis.call('XADD', KEYS[3], '*', 'id', id, 'outcome', 'skipped',
        'at', now, 'detail', 'a second outbox entry of a reminder already ' ..
        st .. ': not sent again')
    dropped = dropped + 1
  elseif id and (deliveries[e[1]] or 1) >= max then
    local p = redis.call('HGET', KEYS[5], id) or ''
    local why = 'in flight at ' .. (deliveries[e[1]] - 1) ..
        ' stops of a daemon (a crash or hang each time?): not tried again'
    redis.call('HSET', KEYS[2], id, 'dead')
    redis.call('XADD', KEYS[4], '*', 'id', id, 'channel', '', 'reason', why,
        'status', 0, 'attempt', 0, 'at', now, 'payload', p)
    redis.call('XADD', KEYS[3], '*', 'id', id, 'outcome', 'dead',
        'at', now, 'detail', why)
    redis.call('HDEL', KEYS[5], id)
    redis.call('HDEL', KEYS[6], id)
    redis.call('XACK', KEYS[1], group, e[1])
    redis.call('XDEL', KEYS[1], e[1])
    dropped = dropped + 1
  else
    out[#out + 1] = e
  end
end
return { nxt, dropped, out }
