/**
 * Bytes as a Buffer without copying them: a Buffer as it is, any other
 * Uint8Array as a Buffer over the same memory. (`Buffer.from(uint8Array)`
 * copies: a whole request body, for nothing, when it is only decoded.)
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
