/**
 * The JSON text of an upstream request body, as a string; or, when it is
 * long, as UTF-8 bytes written piece by piece, so that no string longer than
 * a piece is ever made.
 *
 * Why: V8 keeps every string over 128 KB (one-byte) or 64K characters
 * (two-byte) in pages of its own, mapped from the kernel for that string and
 * unmapped when it dies, so each 4 KB of it costs a page fault. JSON.stringify
 * returns a tree of short pieces; encoding that tree flattens it into one
 * such string first. A 1 MB prompt (a base64 image, a long document) then
 * paid for three large strings a request: the request text, the parsed
 * content, and this one. Measured on the bench VM, faults cost about 20 µs
 * each: ~5 ms of CPU per 1 MB request for this copy alone.
 */

/** Bodies whose JSON text is longer than this (characters) are encoded piece by piece. */
const LONG_TEXT = 65_536;
/** Characters of a long string serialised at a time: its JSON (escapes included) stays a regular-size string. */
const SLICE = 16_384;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** JSON.stringify drops these in objects and writes null for them in arrays. */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** A long string's JSON in slices; a slice never ends between the two halves of a surrogate pair. */
function pushLongString(text: string, out: string[]): void {
  out.push('"');
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + SLICE, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const json = JSON.stringify(text.slice(start, end));
    out.push(json.slice(1, -1));
    start = end;
  }
  out.push('"');
}

/** Appends the JSON text of `value` (never undefined: callers skip what JSON omits) as pieces, in JSON.stringify's order. */
function pushJson(value: unknown, out: string[]): void {
  if (typeof value === "string") {
    if (value.length > SLICE) pushLongString(value, out);
    else out.push(JSON.stringify(value));
    return;
  }
  if (value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    out.push(JSON.stringify(value) as string);
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item: unknown = value[i];
      if (isOmitted(item)) out.push("null");
      else pushJson(item, out);
    }
    out.push("]");
    return;
  }
  if (!isPlainObject(value)) {
    out.push(JSON.stringify(value) as string);
    return;
  }
  out.push("{");
  let first = true;
  for (const key of Object.keys(value)) {
    const field = value[key];
    if (isOmitted(field)) continue;
    out.push(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    pushJson(field, out);
  }
  out.push("}");
}

/**
 * `JSON.stringify(value)`, byte for byte; as a Buffer when the text is
 * longer than LONG_TEXT characters. The first stringify only measures: its
 * pieces are dropped unflattened.
 */
export function encodeJsonBody(value: unknown): string | Buffer {
  const text = JSON.stringify(value);
  if (text.length <= LONG_TEXT) return text;
  const pieces: string[] = [];
  pushJson(value, pieces);
  let size = 0;
  for (const piece of pieces) size += Buffer.byteLength(piece);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) at += bytes.write(piece, at);
  return bytes;
}
