import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { redisScripts } from "./redis-scripts.js";
import type { Store } from "./store.js";
import { windowStart } from "./window-start.js";

export type CounterPart = Pick<Store, "incrementWindow" | "acquireSlot" | "releaseSlot" | "getState" | "setState">;

/** Rate-limit windows, concurrency slots and cooldown state in Redis, all under `prefix`. */
export function createRedisCounters(getRedis: () => Redis, prefix: string): CounterPart {
  return {
    async incrementWindow(name, windowMs, amount, now) {
      const start = windowStart(now, windowMs);
      // The key lives two windows: long enough for clock skew between processes, short enough not to pile up.
      const total = await getRedis().eval(redisScripts.incrementWindow, 1, `${prefix}win:${name}:${start}`, String(amount), String(windowMs * 2 + 1000));
      return { total: Number(total), resetAt: start + windowMs };
    },
    async acquireSlot(name, max, leaseMs, now) {
      const lease = randomUUID();
      const granted = await getRedis().eval(redisScripts.acquireSlot, 1, `${prefix}slot:${name}`, String(now), String(max), String(now + leaseMs), lease, String(leaseMs * 2 + 1000));
      return Number(granted) === 1 ? lease : null;
    },
    async releaseSlot(name, lease) {
      if (lease !== undefined) await getRedis().zrem(`${prefix}slot:${name}`, lease);
      else await getRedis().zpopmin(`${prefix}slot:${name}`);
    },
    async getState(name) {
      return (await getRedis().get(`${prefix}state:${name}`)) ?? undefined;
    },
    async setState(name, value, ttlMs) {
      await getRedis().set(`${prefix}state:${name}`, value, "PX", Math.max(1, Math.ceil(ttlMs)));
    },
  };
}
