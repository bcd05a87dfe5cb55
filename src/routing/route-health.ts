import type { Store } from "../stores/store.js";

export interface CooldownOptions {
  /** false: no cooldowns, and no store traffic for them at all. */
  enabled: boolean;
  /** Failures of one route within `windowMs` that put it in cooldown. */
  failures: number;
  windowMs: number;
  cooldownMs: number;
  /** How long a cooldown read from the store is trusted before asking again, ms. */
  cacheMs: number;
}

interface CachedCooldown {
  until: number;
  checkedAt: number;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Per-route health. Failures are counted in the store's fixed-window
 * counter and cooldowns kept in its shared state, so instances sharing
 * Redis trip and honour the same cooldowns. Reads are cached for `cacheMs`
 * so the hot path costs no store round trip per request (another instance's
 * cooldown is seen at most `cacheMs` late). Time to first token is a moving
 * average per route, local to the instance, for least-latency routing. A
 * failing store never fails a request: routing then runs on local state.
 */
const SAMPLE_WINDOW = 200;
const MIN_P95_SAMPLES = 20;

export class RouteHealth {
  private latency = new Map<string, number>();
  private samples = new Map<string, { values: number[]; next: number }>();
  private cooldowns = new Map<string, CachedCooldown>();

  constructor(
    private store: Store,
    private opts: CooldownOptions,
    private now: () => number,
  ) {}

  /** Route keys currently cooling down. */
  async coolingKeys(keys: string[]): Promise<ReadonlySet<string>> {
    if (!this.opts.enabled) return NONE;
    const now = this.now();
    const stale = keys.filter((k) => {
      const c = this.cooldowns.get(k);
      return c === undefined || now - c.checkedAt >= this.opts.cacheMs;
    });
    if (stale.length > 0) await Promise.all(stale.map((k) => this.refresh(k, now)));
    let out: Set<string> | undefined;
    for (const key of keys) {
      if ((this.cooldowns.get(key)?.until ?? 0) > now) (out ??= new Set()).add(key);
    }
    return out ?? NONE;
  }

  private async refresh(key: string, now: number): Promise<void> {
    const known = this.cooldowns.get(key)?.until ?? 0;
    let shared = 0;
    try {
      shared = Number((await this.store.getState(`cooldown:${key}`)) ?? 0) || 0;
    } catch {
      /* the store is down: keep what this instance knows */
    }
    this.cooldowns.set(key, { until: Math.max(known, shared), checkedAt: now });
  }

  /**
   * Counts one failure of a route; at `failures` within the window the
   * route cools down. `force` cools it at once: "unhealthy" (our
   * credentials or account failed) for the cooldown, a number for as long
   * as the upstream asked (Retry-After), at most ten cooldowns.
   */
  async recordFailure(key: string, force?: "unhealthy" | number): Promise<void> {
    if (!this.opts.enabled) return;
    const now = this.now();
    let pauseMs = force === "unhealthy" ? this.opts.cooldownMs : force === undefined ? undefined : Math.min(force, 10 * this.opts.cooldownMs);
    if (pauseMs === undefined) {
      try {
        const { total } = await this.store.incrementWindow(`route-failures:${key}`, this.opts.windowMs, 1, now);
        if (total >= this.opts.failures) pauseMs = this.opts.cooldownMs;
      } catch {
        /* the store is down: no shared count, no cooldown from this failure */
      }
    }
    if (pauseMs === undefined || pauseMs <= 0) return;
    const until = Math.max(now + pauseMs, this.cooldowns.get(key)?.until ?? 0);
    this.cooldowns.set(key, { until, checkedAt: now });
    try {
      await this.store.setState(`cooldown:${key}`, String(until), until - now);
    } catch {
      /* kept locally */
    }
  }

  recordSuccess(key: string, ttftMs: number): void {
    const prev = this.latency.get(key);
    this.latency.set(key, prev === undefined ? ttftMs : prev * 0.8 + ttftMs * 0.2);
    let window = this.samples.get(key);
    if (!window) this.samples.set(key, (window = { values: [], next: 0 }));
    // A ring of the last SAMPLE_WINDOW times, for the p95 hedge delay.
    if (window.values.length < SAMPLE_WINDOW) window.values.push(ttftMs);
    else window.values[window.next] = ttftMs;
    window.next = (window.next + 1) % SAMPLE_WINDOW;
  }

  /** 95th percentile of the last answers' time to first token, once MIN_P95_SAMPLES exist. */
  p95Of(key: string): number | undefined {
    const values = this.samples.get(key)?.values;
    if (!values || values.length < MIN_P95_SAMPLES) return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
  }

  /** Moving average of time to first token, ms (undefined: never measured). */
  latencyOf(key: string): number | undefined {
    return this.latency.get(key);
  }

  /** Default options: 3 failures in 60 s cool a route for 30 s; reads cached 1 s. */
  static options(o: Partial<CooldownOptions> = {}): CooldownOptions {
    return { enabled: o.enabled ?? true, failures: o.failures ?? 3, windowMs: o.windowMs ?? 60_000, cooldownMs: o.cooldownMs ?? 30_000, cacheMs: o.cacheMs ?? 1000 };
  }
}
