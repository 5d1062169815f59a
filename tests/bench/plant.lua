-- Planned reminders as the planner keeps them (lua/lib/due.lua).
-- KEYS: due. ARGV: "synthetic": a million ids TASK/DUE/SPEC/AGENCY/zalo,
-- 1000 batches of 1000, into KEYS[1]; or "plan" N, then pairs id fire_at:
-- those, for each of N districts ({d1}:due ... {dN}:due).
--@due
if ARGV[1] == 'synthetic' then
  for b = 0, 999 do
    local ids, ats = {}, {}
    for i = 1, 1000 do
      local k = b * 1000 + i
      ats[#ats + 1] = 1651021200000 + k
      ids[#ids + 1] = 'task-' .. (k % 100) .. '/2022-04-30/end-1d@08:00/ag-' ..
          k .. '/zalo'
    end
    due_add(KEYS[1], ids, ats)
  end
  return 1
end
local ids, ats = {}, {}
for i = 3, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
  ats[#ats + 1] = ARGV[i + 1]
end
for d = 1, tonumber(ARGV[2]) do due_add('{d' .. d .. '}:due', ids, ats) end
return #ids
