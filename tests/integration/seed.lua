-- Test seeding: N reminders in the documented format, due from AT ms on,
-- STEP ms apart. KEYS: reminders due. ARGV: n at step channel tag [contact]
local n, at, step = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, n do
  local id = 'task-' .. ARGV[5] .. '/2022-04-30/end-1d@08:00/agency-' .. i .. '/' .. ARGV[4]
  redis.call('HSET', KEYS[1], id, cjson.encode({id = id,
    task = 'task-' .. ARGV[5], title = 'Nhiệm vụ thử ' .. i,
    agency = 'agency-' .. i, agency_name = 'Cơ quan ' .. i,
    contact = ARGV[6] or ('a' .. i .. '@example.gov.vn'),
    email = 'a' .. i .. '@example.gov.vn',
    zalo = '52183910349' .. string.format('%08d', i),  -- ids are strings, never numbers
    phone = string.format('849%08d', i),
    channel = ARGV[4], due = '2022-04-30', spec = 'end-1d@08:00'}))
  redis.call('ZADD', KEYS[2], at + (i - 1) * step, id)
end
return n
