#!lua
-- Pause: hold a channel's sends in every daemon, now and after restarts,
-- until it is resumed or its time is up. The pause is a fact in Redis:
-- {p}:pauses channel -> JSON { by, at, reason, until } (ms by Redis's own
-- clock; until 0: until resumed); daemons are told on {p}:control, and
-- the ledger says who paused it and why (at: the caller's clock).
-- KEYS: pauses control log
-- ARGV: channel by reason for_ms (0: until resumed) at
-- Returns { at, until }
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local u = 0
if tonumber(ARGV[4]) > 0 then u = at + tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ by = ARGV[2], at = at,
    reason = ARGV[3], ['until'] = u }))
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'type', 'pause',
    'channel', ARGV[1])
local why = ARGV[3]
if why == '' then why = 'no reason given' end
redis.call('XADD', KEYS[3], '*', 'id', ARGV[1], 'channel', ARGV[1],
    'outcome', 'paused', 'at', ARGV[5] or at, 'by', ARGV[2],
    'for_ms', ARGV[4], 'detail', 'paused by ' .. ARGV[2] .. ': ' .. why)
return { at, u }
