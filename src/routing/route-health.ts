import type { Store } from "../stores/store.js";

export interface CooldownOptions {
  failures: number;
  windowMs: number;
  cooldownMs: number;
}

/**
 * Per-route health: failures in a window put a route in cooldown, kept in
 * the store so instances sharing Redis share it; time to first token is a
 * moving average per route, for least-latency routing. Local state is a
 * cache in front of the store.
 */
export class RouteHealth {
  private failures = new Map<string, number[]>();
  private latency = new Map<string, number>();
  private localCooldown = new Map<string, number>();

  constructor(
    private store: Store | undefined,
    private opts: CooldownOptions,
    private now: () => number,
  ) {}

  /** Route keys currently cooling down (asks the shared store when there is one). */
  async coolingKeys(keys: string[]): Promise<Set<string>> {
    const now = this.now();
    const out = new Set<string>();
    for (const key of keys) {
      let until = this.localCooldown.get(key) ?? 0;
      if (this.store) {
        const shared = await this.store.getState(`cooldown:${key}`);
        if (shared !== undefined) until = Math.max(until, Number(shared));
      }
      if (until > now) out.add(key);
    }
    return out;
  }

  async recordFailure(key: string, forceCooldown = false): Promise<void> {
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - this.opts.windowMs);
    recent.push(now);
    this.failures.set(key, recent);
    if (forceCooldown || recent.length >= this.opts.failures) {
      const until = now + this.opts.cooldownMs;
      this.localCooldown.set(key, until);
      this.failures.delete(key);
      await this.store?.setState(`cooldown:${key}`, String(until), this.opts.cooldownMs);
    }
  }

  recordSuccess(key: string, ttftMs: number): void {
    this.failures.delete(key);
    const prev = this.latency.get(key);
    this.latency.set(key, prev === undefined ? ttftMs : prev * 0.8 + ttftMs * 0.2);
  }

  /** Moving average of time to first token, ms (undefined: never measured). */
  latencyOf(key: string): number | undefined {
    return this.latency.get(key);
  }
}
