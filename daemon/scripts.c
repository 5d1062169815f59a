/* The Lua scripts that move reminders between keys atomically. */
#include "nhacviecd.h"
#include "planstore.h"

/*
 * Claim: move every reminder due by now (up to a batch) from {p}:due into
 * the outbox, or record it as missed when it is older than the grace.
 * KEYS: due reminders attempts state outbox log
 * ARGV: now_ms batch grace_ms late_after_ms
 * Returns { claimed, missed, next score or "" }.
 */
static const char script_claim[] =
"local now = tonumber(ARGV[1])\n"
"local grace = tonumber(ARGV[3])\n"
"local late_after = tonumber(ARGV[4])\n"
"local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now,\n"
"    'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))\n"
"local claimed, missed = 0, 0\n"
"for i = 1, #due, 2 do\n"
"  local id, at = due[i], tonumber(due[i + 1])\n"
"  redis.call('ZREM', KEYS[1], id)\n"
"  if now - at > grace then\n"
"    redis.call('HSET', KEYS[4], id, 'missed')\n"
"    redis.call('HDEL', KEYS[2], id)\n"
"    redis.call('HDEL', KEYS[3], id)\n"
"    redis.call('XADD', KEYS[6], '*', 'id', id, 'outcome', 'missed',\n"
"        'fire_at', due[i + 1], 'at', ARGV[1],\n"
"        'detail', 'not sent: more than the grace period late')\n"
"    missed = missed + 1\n"
"  else\n"
"    local n = redis.call('HINCRBY', KEYS[3], id, 1)\n"
"    local p = redis.call('HGET', KEYS[2], id) or ''\n"
"    redis.call('HSET', KEYS[4], id, 'queued')\n"
"    local late = 0\n"
"    if n == 1 and now - at > late_after then late = 1 end\n"
"    redis.call('XADD', KEYS[5], '*', 'id', id, 'fire_at', due[i + 1],\n"
"        'attempt', n, 'late', late, 'payload', p)\n"
"    claimed = claimed + 1\n"
"  end\n"
"end\n"
"local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')\n"
"return { claimed, missed, nxt[2] or '' }\n";

/*
 * Complete: record the outcomes of a batch of attempts. The ledger always
 * gets the entry; a reminder's state moves only if this process still held
 * its outbox entry.
 * KEYS: outbox state log due reminders attempts dead
 * ARGV: group, then per attempt 14 fields: entry id outcome channel status
 *       latency_ms detail retry_at attempt now ref late fallback_id
 *       fallback_payload
 * Outcomes: sent, retry (back to due), defer (back to due, the attempt not
 * counted), dead (dead letter; and the fallback reminder, if any, is due).
 * Returns per attempt 1, or 0 when the entry was no longer pending (stale).
 */
static const char script_complete[] =
"local res = {}\n"
"for b = 1, #ARGV - 1, 14 do\n"
"  local entry, id, outcome = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]\n"
"  local channel, status, detail = ARGV[b + 4], ARGV[b + 5], ARGV[b + 7]\n"
"  local attempt, now = ARGV[b + 9], ARGV[b + 10]\n"
"  local acked = redis.call('XACK', KEYS[1], ARGV[1], entry)\n"
"  redis.call('XDEL', KEYS[1], entry)\n"
"  local stale = 0\n"
"  if acked == 0 then stale = 1 end\n"
"  redis.call('XADD', KEYS[3], '*', 'id', id, 'channel', channel,\n"
"      'outcome', outcome, 'status', status, 'latency_ms', ARGV[b + 6],\n"
"      'attempt', attempt, 'at', now, 'late', ARGV[b + 12],\n"
"      'ref', ARGV[b + 11], 'detail', detail, 'stale', stale)\n"
"  res[#res + 1] = acked\n"
"  if acked == 0 then\n"
"  elseif outcome == 'sent' then\n"
"    redis.call('HSET', KEYS[2], id, 'sent')\n"
"    redis.call('HDEL', KEYS[5], id)\n"
"    redis.call('HDEL', KEYS[6], id)\n"
"  elseif outcome == 'retry' then\n"
"    redis.call('ZADD', KEYS[4], ARGV[b + 8], id)\n"
"  elseif outcome == 'defer' then\n"
"    redis.call('ZADD', KEYS[4], ARGV[b + 8], id)\n"
"    redis.call('HINCRBY', KEYS[6], id, -1)\n"
"  else\n"
"    local p = redis.call('HGET', KEYS[5], id) or ''\n"
"    redis.call('HSET', KEYS[2], id, 'dead')\n"
"    redis.call('XADD', KEYS[7], '*', 'id', id, 'channel', channel,\n"
"        'reason', detail, 'status', status, 'attempt', attempt,\n"
"        'at', now, 'payload', p)\n"
"    redis.call('HDEL', KEYS[5], id)\n"
"    redis.call('HDEL', KEYS[6], id)\n"
"    local fb = ARGV[b + 13]\n"
"    if fb ~= '' and redis.call('HEXISTS', KEYS[2], fb) == 0 then\n"
"      redis.call('HSET', KEYS[5], fb, ARGV[b + 14])\n"
"      redis.call('ZADD', KEYS[4], 'NX', now, fb)\n"
"    end\n"
"  end\n"
"end\n"
"return res\n";

const char *const nv_scripts[] = {
	[SCRIPT_CLAIM] = script_claim,
	[SCRIPT_COMPLETE] = script_complete,
	[SCRIPT_LOAD_PLAN] = planstore_load_lua,
	[SCRIPT_PLAN] = planstore_plan_lua,
	[SCRIPT_ENQUEUE] = planstore_enqueue_lua,
	NULL
};
