import type { UsageFilter, UsageRecord } from "./store.js";

/** The usage filter as the memory store applies it; the SQL stores say the same in WHERE clauses. */
export function matchesUsageFilter(record: UsageRecord, filter: UsageFilter): boolean {
  if (filter.keyId !== undefined && record.keyId !== filter.keyId) return false;
  if (filter.model !== undefined && record.requestedModel !== filter.model && record.model !== filter.model) return false;
  if (filter.from !== undefined && record.createdAt < filter.from) return false;
  if (filter.to !== undefined && record.createdAt >= filter.to) return false;
  return true;
}
