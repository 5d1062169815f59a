#!lua
-- Plan: put each planned reminder into its channel's {p}:due:CHANNEL
-- (lib/due.lua) unless its state says it
-- was queued, sent, dead, missed or skipped already; remove reminders
-- planned earlier that are no longer in the plan (not started, fire time
-- at or after `from`; ad-hoc ones, with a stored payload, are never
-- removed). A planned reminder is its member there and nothing else: its
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
--@due
local from, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local m = tonumber(ARGV[3 + n * 2]) or 0
local CHUNK = 1000	-- unpack's limit is some thousands of values
for c = 0, m - 1, CHUNK do
  local a = {}
  for i = c, math.min(m, c + CHUNK) - 1 do
    a[#a + 1] = ARGV[5 + n * 2 + i * 2]
    a[#a + 1] = ARGV[4 + n * 2 + i * 2]
  end
  redis.call('ZADD', KEYS[4], 'NX', unpack(a))
end
local want = {}
local added, removed = 0, 0
local k0 = 4 + n * 2 + m * 2
for i = 0, (tonumber(ARGV[k0]) or 0) - 1 do
  local id, at = ARGV[k0 + 1 + i * 3], ARGV[k0 + 2 + i * 3]
  want[id] = true
  if redis.call('HEXISTS', KEYS[3], id) == 0 then
    local old = due_scores(KEYS[1], { id })[1]
    if old == false or tonumber(old) ~= tonumber(at) then
      added = added + 1
      due_add1(KEYS[1], at, id)
    end
    redis.call('HSET', KEYS[2], id, ARGV[k0 + 3 + i * 3])
  end
end
-- The reminders a thousand at a time: each id split once into its set and
-- member (lib/due.lua), their states and scores in one call each, then one
-- ZADD per set for those new or moved. wantk: what is planned, by set.
local wantk = {}
for c = 0, n - 1, CHUNK do
  local ids = {}
  for i = c, math.min(n, c + CHUNK) - 1 do
    ids[#ids + 1] = ARGV[3 + i * 2]
    want[ARGV[3 + i * 2]] = true
  end
  local st = redis.call('HMGET', KEYS[3], unpack(ids))
  local per, order = {}, {}
  for k, id in ipairs(ids) do
    local ch, m = due_split(id)
    local key = due_key(KEYS[1], ch)
    local g = per[key]
    if g == nil then
      g = { ch = ch, ms = {}, ks = {} }
      per[key] = g
      order[#order + 1] = key
      if wantk[key] == nil then wantk[key] = {} end
    end
    g.ms[#g.ms + 1] = m
    g.ks[#g.ks + 1] = k
    wantk[key][m] = true
  end
  for _, key in ipairs(order) do
    local g = per[key]
    local sc = redis.call('ZMSCORE', key, unpack(g.ms))
    local a = {}
    for j, m in ipairs(g.ms) do
      local k = g.ks[j]
      local at = ARGV[4 + (c + k - 1) * 2]
      if not st[k] and (not sc[j] or tonumber(sc[j]) ~= tonumber(at)) then
        a[#a + 1] = at
        a[#a + 1] = m
      end
    end
    if #a > 0 then
      if g.ch then redis.call('SADD', KEYS[1] .. 'sets', g.ch) end
      redis.call('ZADD', key, unpack(a))
      added = added + #a / 2
    end
  end
end
-- What is planned from `from` on in every channel's set (and in {p}:due,
-- an older version's) and no longer wanted; a member planned now into the
-- same set is known without joining its id again.
local sets = due_channels(KEYS[1])
sets[#sets + 1] = false
for _, ch in ipairs(sets) do
  local key = due_key(KEYS[1], ch or nil)
  local wk = wantk[key] or {}
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, from, '+inf')) do
    if not wk[m] then
      local id = m
      if ch then id = due_join(ch, m) end
      local report = string.sub(id, 1, 7) == 'report:'
      if not want[id] and redis.call('HEXISTS', KEYS[3], id) == 0 and
          (report or redis.call('HEXISTS', KEYS[2], id) == 0) then
        redis.call('ZREM', key, m)
        if report then redis.call('HDEL', KEYS[2], id) end
        removed = removed + 1
      end
    end
  end
end
return { added, removed }
