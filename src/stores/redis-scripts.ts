/**
 * Lua scripts for the Redis half of the shared store: each runs atomically
 * on the server, so several gateway processes share one counter or semaphore.
 */
export const redisScripts = {
  /** KEYS[1] window counter; ARGV amount, ttlMs. Returns the new total. */
  incrementWindow: `
    local total = redis.call('INCRBY', KEYS[1], ARGV[1])
    if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return total`,
  /** KEYS[1] zset of leases scored by expiry; ARGV now, max, expiresAt, lease, ttlMs. Returns 1 or 0. */
  acquireSlot: `
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
    if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    return 1`,
};
