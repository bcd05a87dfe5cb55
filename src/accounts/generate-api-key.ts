import { randomBytes as nodeRandomBytes } from "node:crypto";
import { encodeBase62 } from "./encode-base62.js";

/** Bytes of randomness in a key: 192 bits, above the 128 the issue asks for. */
export const API_KEY_BYTES = 24;

/** A new secret: prefix + base62 of 24 random bytes (33 characters). */
export function generateApiKey(prefix: string, randomBytes: (size: number) => Uint8Array = nodeRandomBytes): string {
  const bytes = randomBytes(API_KEY_BYTES);
  if (bytes.length < API_KEY_BYTES) throw new Error(`randomBytes returned ${bytes.length} bytes, need ${API_KEY_BYTES}`);
  return prefix + encodeBase62(bytes);
}
