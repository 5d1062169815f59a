#!lua
-- Enqueue: one ad-hoc reminder (a notice, an alert) due at `at`, unless its
-- id has a state already; running daemons are told something is due.
-- KEYS: due reminders state control
-- ARGV: id at payload
-- Returns 1 when added, 0 when the id was known.
--@due
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
due_add1(KEYS[1], ARGV[2], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, '*', 'type', 'due',
    'at', ARGV[2])
return 1
