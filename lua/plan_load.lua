#!lua
-- Plan load: replace every plan key under the prefix in one step, store
-- the sources, bump {p}:plan:version and tell the daemons.
-- KEYS: plan_version control
-- ARGV: prefix ("{p}:") document (JSON: tasks agencies groups windows
--       calendar sources loaded_at ntasks)
-- Returns the new version.
-- The plan's own keys are named from the prefix: they all share its hash
-- tag, so they live in the slot of KEYS[1].
local p = ARGV[1]
local doc = cjson.decode(ARGV[2])
local kinds = { {'tasks', 'task'}, {'agencies', 'agency'},
    {'groups', 'group'}, {'windows', 'window'} }
for _, k in ipairs(kinds) do
  local set = p .. k[1]
  for _, id in ipairs(redis.call('SMEMBERS', set)) do
    redis.call('DEL', p .. k[2] .. ':' .. id)
  end
  redis.call('DEL', set)
  for id, fields in pairs(doc[k[1]]) do
    local flat = {}
    for f, v in pairs(fields) do
      flat[#flat + 1] = f
      flat[#flat + 1] = v
    end
    redis.call('DEL', p .. k[2] .. ':' .. id)
    if #flat > 0 then
      redis.call('HSET', p .. k[2] .. ':' .. id, unpack(flat))
    end
    redis.call('SADD', set, id)
  end
end
redis.call('DEL', p .. 'calendar', p .. 'plan:sources')
for f, v in pairs(doc.calendar) do
  redis.call('HSET', p .. 'calendar', f, v)
end
for name, text in pairs(doc.sources) do
  redis.call('HSET', p .. 'plan:sources', name, text)
end
local v = redis.call('INCR', KEYS[1])
redis.call('HSET', p .. 'plan:info', 'version', v, 'loaded_at',
    doc.loaded_at, 'tasks', doc.ntasks)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000, '*', 'type',
    'plan-changed', 'version', v)
return v
