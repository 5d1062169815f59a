#!lua
-- Open: the occurrences due since `since`, each with what one agency's
-- follow-up says of two fields (e.g. AGENCY:reached and AGENCY:done): what
-- a reply without a quote may be about.
-- KEYS: occurrences
-- ARGV: field1 field2 since max
-- Returns { { TASK/DUE... }, { { value1, value2 }... } } (false: unset)
local base = string.sub(KEYS[1], 1, #KEYS[1] - #'occurrences')
local occ = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], '+inf',
    'LIMIT', 0, tonumber(ARGV[4]))
local vals = {}
for i, o in ipairs(occ) do
  vals[i] = redis.call('HMGET', base .. 'occ:' .. o, ARGV[1], ARGV[2])
end
return { occ, vals }
