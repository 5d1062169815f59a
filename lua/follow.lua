#!lua
-- Follow: what an agency did about an occurrence, in its follow-ups
-- ({p}:occ:TASK/DUE, field AGENCY:WHAT = "MS VIA[ DETAIL]"; the first time
-- wins, a note is the last one). When it stops the reminders (done, or
-- acknowledged on a task with stop_on = acknowledged), the occurrence's
-- remaining reminders to that agency (the caller, who knows the plan,
-- names them) are recorded skipped with the reason, in the same step:
-- taken out of due, or marked so that a claimed one is dropped when taken
-- and one not planned yet is never planned.
-- A reminder with no state yet is stopped only if it fires later (it is
-- not planned yet); the caller puts those first and says how many.
-- An acknowledgement or a completion newly recorded is in the ledger too
-- (outcome acknowledged or done, via, who).
-- KEYS: occ due state log reminders attempts
-- ARGV: agency what ms via detail stop ("1" or "") note reason later,
--       then ids (the `later` ones first)
-- Returns { 1 if newly recorded (0: known already), reminders stopped }
--@due
local agency, what, ms = ARGV[1], ARGV[2], ARGV[3]
local v = ms .. ' ' .. ARGV[4]
if ARGV[5] ~= '' then v = v .. ' ' .. ARGV[5] end
local new = redis.call('HSETNX', KEYS[1], agency .. ':' .. what, v)
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], agency .. ':note', ARGV[7])
end
local stopped = 0
if ARGV[6] == '1' then
  redis.call('HSETNX', KEYS[1], agency .. ':stopped', v)
  local later = 9 + (tonumber(ARGV[9]) or 0)
  for i = 10, #ARGV do
    local id = ARGV[i]
    local st = redis.call('HGET', KEYS[3], id)
    local dued = due_rem(KEYS[2], id) == 1
    if dued or st == 'queued' or st == 'held' or
        (st == false and i <= later) then
      redis.call('HSET', KEYS[3], id, 'skipped')
      redis.call('HDEL', KEYS[5], id)
      redis.call('HDEL', KEYS[6], id)
      redis.call('XADD', KEYS[4], '*', 'id', id, 'agency', agency,
          'outcome', 'skipped', 'at', ms, 'detail', ARGV[8])
      stopped = stopped + 1
    end
  end
end
if new == 1 and (what == 'ack' or what == 'done') then
  local occ = string.match(KEYS[1], ':occ:(.+)$') or ''
  local task, due = string.match(occ, '^([^/]*)/(.*)$')
  local outcome = 'done'
  if what == 'ack' then outcome = 'acknowledged' end
  local detail = ARGV[4]
  if ARGV[5] ~= '' then detail = detail .. ' ' .. ARGV[5] end
  if ARGV[7] ~= '' then detail = detail .. ': ' .. ARGV[7] end
  redis.call('XADD', KEYS[4], '*', 'id', occ, 'task', task or '',
      'due', due or '', 'agency', agency, 'outcome', outcome, 'at', ms,
      'via', ARGV[4], 'detail', detail)
end
return { new, stopped }
