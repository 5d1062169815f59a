#!lua
-- Due, read: what waits in the channels' sets (lib/due.lua), for the pages
-- and the admin command, which need not know how it is kept.
-- KEYS: due
-- ARGV: scores ID...  each id's fire time (nil: not due)
--       first N       the N earliest: id, fire time, ...
--       count NOW     { reminders due, of which due by NOW }
--@due
local op = ARGV[1]
if op == 'scores' then
  local ids = {}
  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
  if #ids == 0 then return {} end
  return due_scores(KEYS[1], ids)
end
local sets = due_channels(KEYS[1])
sets[#sets + 1] = false		-- {p}:due itself
if op == 'first' then
  local n = math.floor(tonumber(ARGV[2]) or 0)
  if n < 1 then return {} end
  local all = {}
  for _, ch in ipairs(sets) do
    local got = redis.call('ZRANGE', due_key(KEYS[1], ch or nil), 0, n - 1,
        'WITHSCORES')
    for i = 1, #got, 2 do
      local id = got[i]
      if ch then id = due_join(ch, id) end
      all[#all + 1] = { id = id, at = tonumber(got[i + 1]), s = got[i + 1] }
    end
  end
  table.sort(all, function(x, y)
    if x.at ~= y.at then return x.at < y.at end
    return x.id < y.id
  end)
  local out = {}
  for k = 1, math.min(n, #all) do
    out[#out + 1] = all[k].id
    out[#out + 1] = all[k].s
  end
  return out
end
if op == 'count' then
  local all, now = 0, 0
  for _, ch in ipairs(sets) do
    local key = due_key(KEYS[1], ch or nil)
    all = all + redis.call('ZCARD', key)
    now = now + redis.call('ZCOUNT', key, '-inf', ARGV[2])
  end
  return { all, now }
end
return redis.error_reply('due_read: no question ' .. tostring(op))
