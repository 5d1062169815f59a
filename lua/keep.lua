#!lua
-- Keep: this consumer's lease on its name in the group, and its entries
-- fresh so that no other daemon takes them over while they are worked on.
-- KEYS: outbox lease
-- ARGV: group consumer token ttl_ms take_from entry...
--   take_from: the token of a holder known to be dead, or "".
-- The lease is taken when free (or held by take_from) and renewed when
-- ours; while another holds it nothing else is done. Entries still pending
-- for this consumer are claimed to it again with JUSTID (their idle time
-- starts over, their delivery count does not grow).
-- A ttl of 0 gives the lease up (at a clean stop).
-- Returns { the lease holder's token, then for each entry this consumer
-- no longer holds: the entry id and its holder ("" when nobody) }
local group, me, token = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= token and cur ~= ARGV[5] then return { cur } end
if ARGV[4] == '0' then
  if cur == token then redis.call('DEL', KEYS[2]) end
  return { token }
end
redis.call('SET', KEYS[2], token, 'PX', ARGV[4])
local res = { token }
if #ARGV < 6 then return res end

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function less(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local lo, hi = ARGV[6], ARGV[6]
for i = 7, #ARGV do
  if less(ARGV[i], lo) then lo = ARGV[i] end
  if less(hi, ARGV[i]) then hi = ARGV[i] end
end
local mine = {}
for _, p in ipairs(redis.call('XPENDING', KEYS[1], group, lo, hi, 1000000,
    me)) do
  mine[p[1]] = true
end
local claim, others = { 'XCLAIM', KEYS[1], group, me, 0 }, nil
for i = 6, #ARGV do
  if mine[ARGV[i]] then
    claim[#claim + 1] = ARGV[i]
  else
    if others == nil then
      others = {}
      for _, p in ipairs(redis.call('XPENDING', KEYS[1], group, lo, hi,
          1000000)) do
        others[p[1]] = p[2]
      end
    end
    res[#res + 1] = ARGV[i]
    res[#res + 1] = others[ARGV[i]] or ''
  end
end
if #claim > 5 then
  claim[#claim + 1] = 'JUSTID'
  redis.call(unpack(claim))
end
return res
