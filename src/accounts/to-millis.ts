/** A date option (Date, epoch ms, or ISO string) as epoch ms; undefined/null stay null. NaN when unparseable. */
export function toMillis(value: Date | number | string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}
