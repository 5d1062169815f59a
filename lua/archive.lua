#!lua flags=allow-oom
-- Archive: the daemon moves what is older than [ledger] keep out of Redis
-- in small steps, each written and fsynced to the archive files before this
-- removes it (daemon/archive.c). Every mode is one short call.
-- allow-oom: a full Redis is when the archive matters most; it removes,
-- and what it writes (the lock, the run's figures) is a few bytes.
-- KEYS: archive_lock archive log dead state attempts refs occurrences
-- ARGV: mode token ttl_ms ...
--   begin CUTOFF NOW: take the lock (1; 0 when another daemon holds it) and
--     note that what is older than CUTOFF may now be in the archive only
--   log|dead ID...: those entries are archived: XDEL them
--   state ID STATE ...: each state still STATE goes, its attempts with it
--   ref REF ID ...: each ref still naming ID goes
--   occ_read CUTOFF SKIP LIMIT: up to LIMIT occurrences whose day ended
--     before CUTOFF, after SKIP: { member, score, { field, value, ... } }
--   occ MEMBER N FIELD VALUE ... (N pairs), ...: each occurrence whose
--     follow-ups are still exactly those goes (hash and index member)
--   end NOW MOVED ERROR: the run's figures; the lock is dropped
-- Every mode but begin needs the lock held with TOKEN, and renews it.
-- Returns what was removed (a count), or as said above.
local mode, token, ttl = ARGV[1], ARGV[2], ARGV[3]

if mode == 'begin' then
  if not redis.call('SET', KEYS[1], token, 'NX', 'PX', ttl) then
    return 0
  end
  local kept = tonumber(redis.call('HGET', KEYS[2], 'oldest_kept'))
  if kept == nil or tonumber(ARGV[4]) > kept then
    redis.call('HSET', KEYS[2], 'oldest_kept', ARGV[4])
  end
  redis.call('HSET', KEYS[2], 'started', ARGV[5])
  return 1
end

if redis.call('GET', KEYS[1]) ~= token then
  if mode == 'end' then return 0 end
  return redis.error_reply('LOCKLOST ' .. KEYS[1] ..
      ' is no longer held by this run')
end

if mode == 'end' then
  redis.call('HSET', KEYS[2], 'last_run', ARGV[4], 'moved', ARGV[5],
      'last_error', ARGV[6])
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('PEXPIRE', KEYS[1], ttl)

local base = string.sub(KEYS[3], 1, #KEYS[3] - #'log')

if mode == 'log' or mode == 'dead' then
  if #ARGV < 4 then return 0 end
  local key = KEYS[3]
  if mode == 'dead' then key = KEYS[4] end
  return redis.call('XDEL', key, unpack(ARGV, 4))
end

if mode == 'state' or mode == 'ref' then
  local key = KEYS[5]
  if mode == 'ref' then key = KEYS[7] end
  local gone = {}
  for i = 4, #ARGV - 1, 2 do
    if redis.call('HGET', key, ARGV[i]) == ARGV[i + 1] then
      gone[#gone + 1] = ARGV[i]
    end
  end
  if #gone == 0 then return 0 end
  redis.call('HDEL', key, unpack(gone))
  if mode == 'state' then redis.call('HDEL', KEYS[6], unpack(gone)) end
  return #gone
end

if mode == 'occ_read' then
  local got = redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', '(' .. ARGV[4],
      'WITHSCORES', 'LIMIT', ARGV[5], ARGV[6])
  local res = {}
  for i = 1, #got, 2 do
    res[#res + 1] = { got[i], got[i + 1],
        redis.call('HGETALL', base .. 'occ:' .. got[i]) }
  end
  return res
end

if mode == 'occ' then
  local i, n = 4, 0
  while i + 1 <= #ARGV do
    local member, k = ARGV[i], tonumber(ARGV[i + 1]) or 0
    local key = base .. 'occ:' .. member
    local have = redis.call('HGETALL', key)
    local same = #have == 2 * k
    if same then
      local want = {}
      for j = 0, k - 1 do
        want[ARGV[i + 2 + 2 * j]] = ARGV[i + 3 + 2 * j]
      end
      for j = 1, #have, 2 do
        if want[have[j]] ~= have[j + 1] then
          same = false
          break
        end
      end
    end
    if same then
      redis.call('DEL', key)
      redis.call('ZREM', KEYS[8], member)
      n = n + 1
    end
    i = i + 2 + 2 * k
  end
  return n
end

return redis.error_reply('archive: unknown mode ' .. tostring(mode))
