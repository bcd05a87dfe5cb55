/**
 * A long body's UTF-8 bytes on an UpstreamRequest, beside its `body`
 * string: the built-in transport sends them as they are (see
 * encodeJsonBody), so the text is never made. Other transports read `body`.
 */
export const BODY_BYTES = Symbol("modelmux.bodyBytes");

/** An UpstreamRequest as the built-in transport reads it. */
export interface WithBodyBytes {
  [BODY_BYTES]?: Buffer;
}
