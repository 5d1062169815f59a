#!lua
-- Pause: hold a channel's sends in every daemon, now and after restarts,
-- until it is resumed or its time is up. The pause is a fact in Redis:
-- {p}:pauses channel -> JSON { by, at, reason, until } (ms by Redis's own
-- clock; until 0: until resumed); daemons are told on {p}:control.
-- KEYS: pauses control
-- ARGV: channel by reason for_ms (0: until resumed)
-- Returns { at, until }
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local u = 0
if tonumber(ARGV[4]) > 0 then u = at + tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ by = ARGV[2], at = at,
    reason = ARGV[3], ['until'] = u }))
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'type', 'pause',
    'channel', ARGV[1])
return { at, u }
