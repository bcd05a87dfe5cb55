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
  // Below a cursor older than `to`, `to` holds already: left out, it leaves the cursor as the range's upper bound.
  if (filter.to !== undefined && !(after && after.createdAt < filter.to)) clauses.push(`created_at < ${param(filter.to)}`);
  if (after) {
    // A row value, which both engines take as a range on the index: an OR of the two cases is a filter
    // SQLite and PostgreSQL apply to every row newer than the cursor (a deep page cost as much as all
    // the pages before it).
    clauses.push(`(created_at, id) < (${param(after.createdAt)}, ${param(after.id)})`);
  }
  return clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`;
}
