/**
 * Opaque pagination cursors: the (createdAt, id) of the last row of a page,
 * so pages stay stable while new rows are written (keyset pagination).
 */
export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), "utf8").toString("base64url");
}

/** Returns undefined for a cursor this store did not make (callers turn that into a 400). */
export function decodeCursor(cursor: string): { createdAt: number; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && typeof value[1] === "string") {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}
