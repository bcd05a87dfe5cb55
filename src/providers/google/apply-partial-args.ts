import type { GeminiPartialArg } from "./gemini-types.js";

type Container = Record<string, unknown> | unknown[];

/**
 * Vertex AI streams function arguments as `partialArgs`: a JSON Path
 * (RFC 9535, e.g. `$.foo.bar[0]`) and one scalar value each; a string with
 * `willContinue: true` continues in the next fragment for the same path
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/Content#PartialArg).
 * Fragments are applied to `target`, so the whole call can be sent as one
 * valid JSON `arguments` string once it is complete. `continuing` holds the
 * paths whose string is still open.
 */
export function applyPartialArgs(target: Record<string, unknown>, partials: GeminiPartialArg[], continuing: Set<string>): void {
  for (const partial of partials) {
    const path = partial.jsonPath ?? "";
    const keys = parsePath(path);
    if (keys === undefined || keys.length === 0) continue;
    const parent = ensureParent(target, keys);
    const key = keys[keys.length - 1]!;
    const current = (parent as Record<string | number, unknown>)[key];
    let value: unknown;
    if (partial.stringValue !== undefined) value = continuing.has(path) && typeof current === "string" ? current + partial.stringValue : partial.stringValue;
    else if (partial.numberValue !== undefined) value = partial.numberValue;
    else if (partial.boolValue !== undefined) value = partial.boolValue;
    else if (partial.nullValue !== undefined) value = null;
    else continue;
    (parent as Record<string | number, unknown>)[key] = value;
    if (partial.willContinue === true) continuing.add(path);
    else continuing.delete(path);
  }
}

/** `$.a.b[0]['c d']` -> ["a", "b", 0, "c d"]; undefined when it is not a path we can follow. */
function parsePath(path: string): Array<string | number> | undefined {
  if (!path.startsWith("$")) return undefined;
  const keys: Array<string | number> = [];
  const segment = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  segment.lastIndex = 1;
  while (segment.lastIndex < path.length) {
    const m = segment.exec(path);
    if (!m) return undefined;
    keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
  }
  return keys;
}

function ensureParent(target: Record<string, unknown>, keys: Array<string | number>): Container {
  let node: Container = target;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i]!;
    const next = (node as Record<string | number, unknown>)[key];
    if (typeof next === "object" && next !== null) {
      node = next as Container;
      continue;
    }
    const created: Container = typeof keys[i + 1] === "number" ? [] : {};
    (node as Record<string | number, unknown>)[key] = created;
    node = created;
  }
  return node;
}
