import { randomUUID } from "node:crypto";
import { clampPageLimit } from "./clamp-page-limit.js";
import { decodeCursor, encodeCursor } from "./encode-cursor.js";
import { invalidCursor } from "./invalid-cursor.js";
import { matchesUsageFilter } from "./matches-usage-filter.js";
import { ABANDONED_ERROR_CODE, type CreditRecord, type KeyRecord, type Reservation, type Store, type UsageRecord } from "./store.js";
import { windowStart } from "./window-start.js";

interface UsageRow {
  record: UsageRecord;
  settled: boolean;
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * A store in process memory, for tests and single-process demos. Every
 * method runs without an await inside, so each is atomic on Node's single
 * thread: that is what makes reserve race-free here.
 */
export function createMemoryStore(options: { now?: () => number } = {}): Store {
  const clock = options.now ?? Date.now;
  const keys = new Map<string, KeyRecord>();
  const idByHash = new Map<string, string>();
  const credits = new Map<string, CreditRecord>();
  const reservations = new Map<string, Reservation>();
  const usage = new Map<string, UsageRow>();
  const windows = new Map<string, { start: number; total: number }>();
  const slots = new Map<string, Map<string, number>>();
  const state = new Map<string, { value: string; expiresAt: number }>();

  const heldNano = (keyId: string, now: number): number => {
    let held = 0;
    for (const r of reservations.values()) if (r.keyId === keyId && r.expiresAt > now) held += r.amountNano;
    return held;
  };

  const liveLeases = (name: string, now: number): Map<string, number> => {
    const leases = slots.get(name) ?? new Map<string, number>();
    for (const [lease, expiresAt] of leases) if (expiresAt <= now) leases.delete(lease);
    slots.set(name, leases);
    return leases;
  };

  return {
    async init() {},
    async close() {},

    async insertKey(key) {
      if (keys.has(key.id) || idByHash.has(key.hash)) throw new Error(`key ${key.id} already exists`);
      keys.set(key.id, copy(key));
      idByHash.set(key.hash, key.id);
    },
    async findKeyByHash(hash) {
      const id = idByHash.get(hash);
      const key = id === undefined ? undefined : keys.get(id);
      return key && copy(key);
    },
    async getKey(id) {
      const key = keys.get(id);
      return key && copy(key);
    },
    async listKeys(opts = {}) {
      const limit = clampPageLimit(opts.limit);
      const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
      if (opts.cursor !== undefined && !after) throw invalidCursor();
      const sorted = [...keys.values()]
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .filter((k) => !after || k.createdAt > after.createdAt || (k.createdAt === after.createdAt && k.id > after.id));
      const page = sorted.slice(0, limit);
      const last = page[page.length - 1];
      return { keys: page.map(copy), nextCursor: sorted.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async updateKey(id, patch) {
      const key = keys.get(id);
      if (!key) return undefined;
      Object.assign(key, copy(patch));
      return copy(key);
    },

    async credit(credit) {
      const key = keys.get(credit.keyId);
      if (!key) throw new Error(`unknown key ${credit.keyId}`);
      if (!credits.has(credit.id)) {
        credits.set(credit.id, copy(credit));
        if (key.balanceNano !== null) key.balanceNano += credit.amountNano;
      }
      return { balanceNano: key.balanceNano };
    },
    async listCredits(keyId) {
      return [...credits.values()].filter((c) => c.keyId === keyId).sort((a, b) => a.createdAt - b.createdAt).map(copy);
    },

    async reserve(reservation, now) {
      let available: number | null = null;
      if (reservation.keyId !== null) {
        const key = keys.get(reservation.keyId);
        if (key && key.balanceNano !== null) available = key.balanceNano - heldNano(key.id, now);
        else if (!key && reservation.amountNano > 0) available = 0;
        if (available !== null && available < reservation.amountNano) return { ok: false, availableNano: Math.max(0, available) };
      }
      // The pending record rides on the reservation; the usage log gets a row at settle (or reconcile).
      reservations.set(reservation.id, copy(reservation));
      return { ok: true, availableNano: available === null ? null : available - reservation.amountNano };
    },
    async settle(reservationId, record) {
      if (reservationId !== null) reservations.delete(reservationId);
      if (usage.get(record.id)?.settled) return;
      const key = record.keyId === null ? undefined : keys.get(record.keyId);
      if (key && key.balanceNano !== null && record.costNano > 0) key.balanceNano -= Math.min(record.costNano, Math.max(0, key.balanceNano));
      usage.set(record.id, { record: copy(record), settled: true });
    },
    async reconcile(now) {
      let dropped = 0;
      for (const [id, reservation] of reservations) {
        if (reservation.expiresAt > now) continue;
        reservations.delete(id);
        dropped += 1;
        const pending = reservation.pending;
        if (pending && !usage.get(pending.id)?.settled) usage.set(pending.id, { record: { ...pending, errorCode: ABANDONED_ERROR_CODE }, settled: false });
      }
      return dropped;
    },

    async getUsage(id) {
      const row = usage.get(id);
      if (row) return copy(row.record);
      for (const reservation of reservations.values()) if (reservation.pending?.id === id) return copy(reservation.pending);
      return undefined;
    },
    async listUsage(filter) {
      const limit = clampPageLimit(filter.limit);
      const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
      if (filter.cursor !== undefined && !after) throw invalidCursor();
      const sorted = [...usage.values()]
        .map((row) => row.record)
        .filter((r) => matchesUsageFilter(r, filter))
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .filter((r) => !after || r.createdAt < after.createdAt || (r.createdAt === after.createdAt && r.id < after.id));
      const page = sorted.slice(0, limit);
      const last = page[page.length - 1];
      return { records: page.map(copy), nextCursor: sorted.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async sumUsage(keyId, since) {
      const sum = { requests: 0, costNano: 0, tokens: 0 };
      for (const { record } of usage.values()) {
        if (record.keyId !== keyId || record.createdAt < since) continue;
        sum.requests += 1;
        sum.costNano += record.costNano;
        sum.tokens += record.totalTokens;
      }
      return sum;
    },

    async incrementWindow(name, windowMs, amount, now) {
      const start = windowStart(now, windowMs);
      const current = windows.get(name);
      const window = current && current.start === start ? current : { start, total: 0 };
      window.total += amount;
      windows.set(name, window);
      return { total: window.total, resetAt: start + windowMs };
    },
    async acquireSlot(name, max, leaseMs, now) {
      const leases = liveLeases(name, now);
      if (leases.size >= max) return null;
      const lease = randomUUID();
      leases.set(lease, now + leaseMs);
      return lease;
    },
    async releaseSlot(name, lease) {
      const leases = slots.get(name);
      if (!leases) return;
      const victim = lease ?? [...leases.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
      if (victim !== undefined) leases.delete(victim);
      if (leases.size === 0) slots.delete(name);
    },

    async getState(name) {
      const entry = state.get(name);
      if (!entry) return undefined;
      if (entry.expiresAt <= clock()) {
        state.delete(name);
        return undefined;
      }
      return entry.value;
    },
    async setState(name, value, ttlMs) {
      state.set(name, { value, expiresAt: clock() + ttlMs });
    },
  };
}
