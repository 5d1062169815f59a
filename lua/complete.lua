#!lua
-- Complete: record the outcomes of a batch of attempts. A record is the
-- values of the field names the call gives first (daemon/ledger.c's
-- ledger_fields, every value a string): entry id outcome channel status
-- latency_ms detail retry_at attempt ref late at, task and agency (when
-- known), and fb_id fb_payload fb_skip for a fallback: added with a dead
-- letter, or recorded `skipped` with fb_skip.
-- The ledger always gets the outcome. What else happens depends on who
-- holds the outbox entry now:
--   this consumer (the normal case): acknowledged, deleted, state applied;
--   another consumer (it took the entry over): the ledger only; the entry
--     and the reminder's state are the holder's;
--   nobody (acknowledged by hand, or lost with a Redis that came back from
--     an older copy): the outcome is applied all the same, unless the
--     reminder's state says it is finished already.
-- Outcomes: sent; retry (back to due); defer (back to due, the attempt not
-- counted); hold (its channel is paused: kept in {p}:held until it resumes,
-- the attempt not counted; the ledger says defer); dead (a dead letter,
-- and the fallback reminder if any is due).
-- A send recorded sent also notes, for closing the loop: the provider's
-- message id in {p}:refs (an event or a reply names it), and the agency
-- reached in the occurrence's follow-ups ({p}:occ:TASK/DUE AGENCY:reached).
-- KEYS: outbox state log due reminders attempts dead held refs
-- ARGV: group consumer n name1..namen, then n values per record
-- Returns per record 1 (held here), 0 (held by nobody), or the holder.
--@due
local group, me = ARGV[1], ARGV[2]

local nf = tonumber(ARGV[3]) or 0
if nf < 1 or (#ARGV - 3 - nf) % nf ~= 0 then
  return redis.error_reply('records do not fill ' .. nf .. ' fields each')
end
-- Where each field is in a record; one the call does not name reads
-- past the end of ARGV, as ''.
local fields = { 'entry', 'id', 'outcome', 'channel', 'status', 'latency_ms',
    'detail', 'retry_at', 'attempt', 'ref', 'late', 'at', 'fb_id',
    'fb_payload', 'fb_skip', 'task', 'agency' }
local c = {}
for _, f in ipairs(fields) do c[f] = #ARGV end
for k = 1, nf do c[ARGV[3 + k]] = k - 1 end
local recs, lo, hi = {}, nil, nil
for i = 4 + nf, #ARGV, nf do
  -- One constructor: the table is made at its size.
  local r = { entry = ARGV[i + c.entry] or '', id = ARGV[i + c.id] or '',
      outcome = ARGV[i + c.outcome] or '', channel = ARGV[i + c.channel] or '',
      status = ARGV[i + c.status] or '',
      latency_ms = ARGV[i + c.latency_ms] or '',
      detail = ARGV[i + c.detail] or '', retry_at = ARGV[i + c.retry_at] or '',
      attempt = ARGV[i + c.attempt] or '', ref = ARGV[i + c.ref] or '',
      late = ARGV[i + c.late] or '', at = ARGV[i + c.at] or '',
      fb_id = ARGV[i + c.fb_id] or '', fb_payload = ARGV[i + c.fb_payload] or '',
      fb_skip = ARGV[i + c.fb_skip] or '', task = ARGV[i + c.task] or '',
      agency = ARGV[i + c.agency] or '', ms = 0, seq = 0 }
  local ms, seq = string.match(r.entry, '^(%d+)%-(%d+)$')
  if ms == nil then
    return redis.error_reply('record ' .. (#recs + 1) .. ': bad entry id')
  end
  r.ms, r.seq = tonumber(ms), tonumber(seq)
  recs[#recs + 1] = r
  if lo == nil or r.ms < lo.ms or (r.ms == lo.ms and r.seq < lo.seq) then
    lo = r
  end
  if hi == nil or r.ms > hi.ms or (r.ms == hi.ms and r.seq > hi.seq) then
    hi = r
  end
end
if #recs == 0 then return {} end
lo, hi = lo.entry, hi.entry

local mine, others = {}, nil
for _, p in ipairs(redis.call('XPENDING', KEYS[1], group, lo, hi, 1000000,
    me)) do
  mine[p[1]] = true
end

local function finished(id)
  local st = redis.call('HGET', KEYS[2], id)
  return st == 'sent' or st == 'dead' or st == 'missed' or st == 'skipped'
end

local base = string.sub(KEYS[1], 1, #KEYS[1] - #'outbox')

-- A planned reminder's occurrence and agency (a fallback's too).
local function occurrence(id)
  local plain = string.gsub(id, '~fallback%-.*$', '')
  local task, due, spec, agency = string.match(plain,
      '^([^/]+)/(%d%d%d%d%-%d%d%-%d%d)/([^/]+)/([^/]+)/[^/]+$')
  if task == nil or task == 'adhoc' then return nil end
  -- An escalation reaches who it tells, not a recipient.
  if string.sub(spec, 1, 9) == 'escalate:' then return nil end
  return base .. 'occ:' .. task .. '/' .. due, agency
end

-- What a batch changes, gathered and written one call each at the end.
-- dels: finished (text and attempts go); untried: attempts only.
local sets, dels, untried, tries, refs = {}, {}, {}, {}, {}
local function set(id, v) sets[#sets + 1] = id; sets[#sets + 1] = v end
-- reached: per occurrence hash, field -> value (the first one wins).
local reached, occs = {}, {}
local function reach(occ, f, v)
  local t = reached[occ]
  if t == nil then
    t = { fields = {}, vals = {} }
    reached[occ] = t
    occs[#occs + 1] = occ
  end
  if t.vals[f] == nil then
    t.fields[#t.fields + 1] = f
    t.vals[f] = v
  end
end
local function try(id, n)
  if n > 0 then
    tries[#tries + 1] = id
    tries[#tries + 1] = n
  else
    untried[#untried + 1] = id
  end
end

local function apply(r, held)
  if r.outcome == 'sent' then
    if r.ref ~= '' then
      refs[#refs + 1] = r.ref
      refs[#refs + 1] = r.id
    end
    local occ, agency = occurrence(r.id)
    if occ then reach(occ, agency .. ':reached', r.at .. ' ' .. r.channel) end
    set(r.id, 'sent')
    dels[#dels + 1] = r.id
    if not held then
      -- A lost entry: the reminder may be due again (an older copy of
      -- Redis); it is sent.
      due_rem(KEYS[4], r.id)
    end
    return
  end
  if not held and finished(r.id) then return end
  local n = tonumber(r.attempt) or 1
  if r.outcome == 'retry' then
    due_add1(KEYS[4], tonumber(r.retry_at) or 0, r.id)
    try(r.id, n)
  elseif r.outcome == 'defer' then
    due_add1(KEYS[4], tonumber(r.retry_at) or 0, r.id)
    try(r.id, n - 1)
  elseif r.outcome == 'skipped' then
    set(r.id, 'skipped')
    dels[#dels + 1] = r.id
  elseif r.outcome == 'hold' then
    redis.call('HSET', KEYS[8], r.id, r.channel)
    set(r.id, 'held')
    try(r.id, n - 1)
  elseif r.outcome == 'dead' then
    local p = redis.call('HGET', KEYS[5], r.id) or ''
    set(r.id, 'dead')
    redis.call('XADD', KEYS[7], '*', 'id', r.id, 'channel', r.channel,
        'reason', r.detail, 'status', r.status, 'attempt', r.attempt,
        'at', r.at, 'payload', p)
    dels[#dels + 1] = r.id
    if r.fb_id ~= '' and r.fb_skip ~= '' then
      set(r.fb_id, 'skipped')
      redis.call('XADD', KEYS[3], '*', 'id', r.fb_id, 'task', r.task,
          'agency', r.agency, 'outcome', 'skipped', 'at', r.at,
          'detail', r.fb_skip)
    elseif r.fb_id ~= '' and redis.call('HEXISTS', KEYS[2], r.fb_id) == 0 then
      redis.call('HSET', KEYS[5], r.fb_id, r.fb_payload)
      due_add1(KEYS[4], r.at, r.fb_id, 'NX')
    end
  end
end

local res, acks = {}, {}
for _, r in ipairs(recs) do
  local holder = nil
  if mine[r.entry] then
    holder = me
  else
    if others == nil then
      others = {}
      for _, p in ipairs(redis.call('XPENDING', KEYS[1], group, lo, hi,
          1000000)) do
        others[p[1]] = p[2]
      end
    end
    holder = others[r.entry]
  end
  local held = 'lost'
  if holder == me then
    acks[#acks + 1] = r.entry
    apply(r, true)
    held = 'yes'
    res[#res + 1] = 1
  elseif holder then
    held = holder
    res[#res + 1] = holder
  else
    apply(r, false)
    redis.call('XDEL', KEYS[1], r.entry)
    res[#res + 1] = 0
  end
  local stale = 0
  if holder and holder ~= me then stale = 1 end
  local outcome = r.outcome
  if outcome == 'hold' then outcome = 'defer' end
  redis.call('XADD', KEYS[3], '*', 'id', r.id, 'task', r.task,
      'agency', r.agency, 'channel', r.channel,
      'outcome', outcome, 'status', r.status, 'latency_ms', r.latency_ms,
      'attempt', r.attempt, 'at', r.at, 'late', r.late, 'ref', r.ref,
      'detail', r.detail, 'stale', stale, 'entry', held)
end
if #acks > 0 then
  redis.call('XACK', KEYS[1], group, unpack(acks))
  redis.call('XDEL', KEYS[1], unpack(acks))
end
if #sets > 0 then redis.call('HSET', KEYS[2], unpack(sets)) end
if #dels > 0 then
  redis.call('HDEL', KEYS[5], unpack(dels))
  redis.call('HDEL', KEYS[6], unpack(dels))
end
if #untried > 0 then redis.call('HDEL', KEYS[6], unpack(untried)) end
if #tries > 0 then redis.call('HSET', KEYS[6], unpack(tries)) end
if #refs > 0 then redis.call('HSET', KEYS[9], unpack(refs)) end
-- One HMGET and at most one HSET per occurrence: HSETNX field by field.
for _, occ in ipairs(occs) do
  local t, w = reached[occ], {}
  local have = redis.call('HMGET', occ, unpack(t.fields))
  for k, f in ipairs(t.fields) do
    if not have[k] then
      w[#w + 1] = f
      w[#w + 1] = t.vals[f]
    end
  end
  if #w > 0 then redis.call('HSET', occ, unpack(w)) end
end
return res
