import { createHash } from "node:crypto";

/** SHA-256 hex of a secret: the only form a key is stored in. */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
