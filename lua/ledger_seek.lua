#!lua flags=no-writes
-- Ledger seek: where to start reading {p}:log for the entries at or after
-- `at` (the entries' own field, ms on the writers' clock, which may be a
-- virtual one: stream ids are Redis's time and cannot say). Entries are
-- written in time order, so halving the stream's id range finds the place
-- in some 45 steps instead of reading the ledger from its start.
-- KEYS: log
-- ARGV: at
-- Returns the id to read from (XRANGE ID +), or "" when nothing is there.
local function at_of(e)
  local f = e[2]
  for i = 1, #f, 2 do
    if f[i] == 'at' then return tonumber(f[i + 1]) or 0 end
  end
  return 0
end
local function ms_of(e)
  return tonumber(string.match(e[1], '^(%d+)'))
end
local target = tonumber(ARGV[1])
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
if first == nil then return '' end
if at_of(first) >= target then return '-' end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if at_of(last) < target then return '' end
-- The smallest ms whose first entry is at or after the target: entries
-- that share the ms before it are read too, so start one ms earlier.
local lo, hi = ms_of(first), ms_of(last)
while lo < hi do
  local mid = math.floor((lo + hi) / 2)
  local e = redis.call('XRANGE', KEYS[1], string.format('%d-0', mid), '+',
      'COUNT', 1)[1]
  if at_of(e) >= target then hi = mid else lo = ms_of(e) + 1 end
end
return string.format('%d-0', lo - 1)
