#!lua
-- Resume: a channel's pause is lifted and the reminders held while it was
-- paused ({p}:held: id -> channel) are due again at `now`; daemons are
-- told on {p}:control. With only_expired, only a pause whose time is up
-- (by Redis's clock) is lifted: what a daemon does when it expires.
-- KEYS: pauses held due control
-- ARGV: channel now only_expired ("1" or "")
-- Returns { 1 if a pause was lifted, reminders released }
local p = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[3] == '1' and p then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local u = tonumber(cjson.decode(p)['until']) or 0
  if u == 0 or u > now then return { 0, 0 } end
end
local lifted = 0
if p then
  redis.call('HDEL', KEYS[1], ARGV[1])
  lifted = 1
end
local n, flat = 0, redis.call('HGETALL', KEYS[2])
for i = 1, #flat, 2 do
  if flat[i + 1] == ARGV[1] then
    redis.call('HDEL', KEYS[2], flat[i])
    redis.call('ZADD', KEYS[3], ARGV[2], flat[i])
    n = n + 1
  end
end
redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, '*', 'type', 'resume',
    'channel', ARGV[1])
if n > 0 then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, '*', 'type', 'due',
      'at', ARGV[2])
end
return { lifted, n }
