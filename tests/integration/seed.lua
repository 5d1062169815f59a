-- Test seeding: N reminders in the documented format, due from AT ms on,
-- STEP ms apart, in their channel's set as the daemon keeps them
-- (lua/lib/due.lua; run it as nv.sh's nv_lua gives it). KEYS: reminders
-- due. ARGV: n at step channel tag [contact [adhoc]]: with "adhoc",
-- notices (adhoc/TAG-I/AGENCY/CHANNEL) that no planner run removes.
--@due
local n, at, step = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local contact = ARGV[6]
if contact == '' then contact = nil end
for i = 1, n do
  local id = 'task-' .. ARGV[5] .. '/2022-04-30/end-1d@08:00/agency-' .. i .. '/' .. ARGV[4]
  local task = 'task-' .. ARGV[5]
  if ARGV[7] == 'adhoc' then
    id = 'adhoc/' .. ARGV[5] .. '-' .. i .. '/agency-' .. i .. '/' .. ARGV[4]
    task = 'adhoc'
  end
  redis.call('HSET', KEYS[1], id, cjson.encode({id = id,
    task = task, title = 'Nhiệm vụ thử ' .. i,
    agency = 'agency-' .. i, agency_name = 'Cơ quan ' .. i,
    contact = contact or ('a' .. i .. '@example.gov.vn'),
    email = 'a' .. i .. '@example.gov.vn',
    zalo = '52183910349' .. string.format('%08d', i),  -- ids are strings, never numbers
    phone = string.format('849%08d', i),
    channel = ARGV[4], due = '2022-04-30', spec = 'end-1d@08:00'}))
  due_add1(KEYS[2], at + (i - 1) * step, id)
end
return n
