import type { UsageFilter } from "./store.js";

/**
 * The WHERE clause of a usage page for the SQL stores, in the order of the
 * usage indexes (created_at, then id; a page is read newest first).
 * `param` records a value and returns the driver's placeholder for it ("?"
 * or "$n"); it is called once per use.
 */
export function buildUsageWhere(filter: UsageFilter, after: { createdAt: number; id: string } | undefined, param: (value: unknown) => string): string {
  const clauses: string[] = [];
  if (filter.keyId !== undefined) clauses.push(`key_id = ${param(filter.keyId)}`);
  if (filter.model !== undefined) {
    clauses.push(`(requested_model = ${param(filter.model)} OR model = ${param(filter.model)})`);
  }
  if (filter.from !== undefined) clauses.push(`created_at >= ${param(filter.from)}`);
  if (filter.to !== undefined) clauses.push(`created_at < ${param(filter.to)}`);
  if (after) {
    clauses.push(`(created_at < ${param(after.createdAt)} OR (created_at = ${param(after.createdAt)} AND id < ${param(after.id)}))`);
  }
  return clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`;
}
