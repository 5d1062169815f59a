#!lua
-- Resume: a channel's pause is lifted and daemons are told on
-- {p}:control; each daemon then releases what the channel held (release).
-- With only_expired, only a pause whose time is up (by Redis's clock) is
-- lifted: what a daemon does when it expires. A pause lifted is in the
-- ledger, with who lifted it (at: the caller's clock).
-- KEYS: pauses held control log
-- ARGV: channel only_expired ("1" or "") by at
-- Returns { 1 if a pause was lifted, reminders the channel holds }
local p = redis.call('HGET', KEYS[1], ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '1' and p then
  local u = tonumber(cjson.decode(p)['until']) or 0
  if u == 0 or u > now then return { 0, 0 } end
end
local lifted = 0
if p then
  redis.call('HDEL', KEYS[1], ARGV[1])
  lifted = 1
end
local n = 0
for _, ch in ipairs(redis.call('HVALS', KEYS[2])) do
  if ch == ARGV[1] then n = n + 1 end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'resume',
    'channel', ARGV[1])
if lifted == 1 then
  local by = ARGV[3] or ''
  if by == '' then by = 'its time was up' end
  redis.call('XADD', KEYS[4], '*', 'id', ARGV[1], 'channel', ARGV[1],
      'outcome', 'resumed', 'at', ARGV[4] or now, 'by', by,
      'detail', 'resumed by ' .. by .. '; ' .. n .. ' held')
end
return { lifted, n }
