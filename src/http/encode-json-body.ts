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

/** A value as JSON.stringify serialises it under `key`: after its toJSON, if it has one. */
function resolve(key: string, value: unknown): unknown {
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return (toJSON as (key: string) => unknown).call(value, key);
  }
  return value;
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

/**
 * Whether `value` holds a string longer than SLICE, at any depth (a scan of
 * types and lengths, no serialising). Boxed primitives serialise as their
 * value, so they are not walked.
 */
function holdsLongString(value: unknown): boolean {
  return longChars(value, 0, 0) > 0;
}

/**
 * `total` plus the length of every string longer than SLICE in `value`, at
 * any depth; the scan stops as soon as the sum passes `enough`.
 */
function longChars(value: unknown, total: number, enough: number): number {
  if (typeof value === "string") return value.length > SLICE ? total + value.length : total;
  if (value === null || typeof value !== "object" || value instanceof String || value instanceof Number || value instanceof Boolean) return total;
  if (Array.isArray(value)) {
    for (const item of value) if ((total = longChars(item, total, enough)) > enough) return total;
    return total;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) if ((total = longChars(object[key], total, enough)) > enough) return total;
  return total;
}

/** Appends the JSON text of a resolved, not omitted `value`: in one piece when it holds no long string. */
function pushJson(value: unknown, out: string[]): void {
  if (holdsLongString(value)) pushParts(value, out);
  else out.push(JSON.stringify(value));
}

/** Appends the JSON text of a resolved `value` that holds a long string, part by part, in JSON.stringify's order. */
function pushParts(value: unknown, out: string[]): void {
  if (typeof value === "string") {
    pushLongString(value, out);
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item = resolve(String(i), value[i]);
      if (isOmitted(item)) out.push("null");
      else pushJson(item, out);
    }
    out.push("]");
    return;
  }
  out.push("{");
  let first = true;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const field = resolve(key, object[key]);
    if (isOmitted(field)) continue;
    out.push(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    pushJson(field, out);
  }
  out.push("}");
}

/**
 * `JSON.stringify(value)`, byte for byte; as a Buffer when its strings
 * longer than SLICE add up to more than LONG_TEXT characters (the text is
 * at least that long). Decided by a scan of lengths, not by serialising: a
 * first JSON.stringify to measure the text serialised every long body twice
 * (about 190 µs of the 1,065 µs a 100 KB request cost, by `--cpu-prof`).
 */
export function encodeJsonBody(value: unknown): string | Buffer {
  const top = resolve("", value);
  // A long text of short strings (a 1,000-message conversation) stays one string: writing it piece by
  // piece cost more than it saved.
  if (longChars(top, 0, LONG_TEXT) <= LONG_TEXT) return JSON.stringify(value);
  const pieces: string[] = [];
  pushParts(top, pieces);
  // Runs of short pieces are joined (a flat string of at most about 2 x SLICE), so a body of many
  // small fields costs a few writes, not one per piece.
  const runs: string[] = [];
  let from = 0;
  let length = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (length > 0 && length + pieces[i]!.length > 2 * SLICE) {
      runs.push(pieces.slice(from, i).join(""));
      from = i;
      length = 0;
    }
    length += pieces[i]!.length;
  }
  runs.push(pieces.slice(from).join(""));
  let size = 0;
  for (const run of runs) size += Buffer.byteLength(run);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const run of runs) at += bytes.write(run, at);
  return bytes;
}
