#!lua
-- Rescue: one step over {p}:state for reminders left `queued` that are
-- neither due nor in the outbox (a Redis restarted from an older copy can
-- leave them so); each goes back into due, with a ledger entry.
-- KEYS: state due outbox log
-- ARGV: cursor count now
-- Returns { next cursor ("0" when the scan is done), rescued }
--@due
local r = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local queued, cand = {}, {}
for i = 1, #r[2], 2 do
  if r[2][i + 1] == 'queued' then queued[#queued + 1] = r[2][i] end
end
if #queued > 0 then
  local sc = due_scores(KEYS[2], queued)
  for k, id in ipairs(queued) do
    if sc[k] == false then cand[#cand + 1] = id end
  end
end
local n = 0
if #cand > 0 then
  local held = {}
  for _, e in ipairs(redis.call('XRANGE', KEYS[3], '-', '+')) do
    local f = e[2]
    for i = 1, #f, 2 do
      if f[i] == 'id' then held[f[i + 1]] = true end
    end
  end
  for _, id in ipairs(cand) do
    if not held[id] then
      due_add1(KEYS[2], ARGV[3], id)
      redis.call('XADD', KEYS[4], '*', 'id', id, 'outcome', 'defer',
          'at', ARGV[3], 'detail', 'found queued but neither due nor in ' ..
          'the outbox (Redis came back from an older copy?): due again')
      n = n + 1
    end
  end
end
return { r[1], n }
