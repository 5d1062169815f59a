#!lua
-- Due, read: when reminders are due, from their channels' sets
-- (lib/due.lua), for the task page, which need not know how they are kept.
-- KEYS: due
-- ARGV: scores ID...  each id's fire time (nil: not due)
--@due
local op = ARGV[1]
if op == 'scores' then
  local ids = {}
  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
  if #ids == 0 then return {} end
  return due_scores(KEYS[1], ids)
end
return redis.error_reply('due_read: no question ' .. tostring(op))
