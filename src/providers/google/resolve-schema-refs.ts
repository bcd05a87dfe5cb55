type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Inlines local `$ref`s (`#/$defs/X`, `#/definitions/X`) because Gemini's
 * Schema object has no `$ref`/`$defs` (discovery doc, `Schema`). A recursive
 * reference cannot be inlined: it becomes an untyped schema and is reported
 * in `dropped`, as is any non-local `$ref`.
 */
export function resolveSchemaRefs(root: JsonObject, dropped: string[]): JsonObject {
  const defs: JsonObject = { ...(isObject(root.definitions) ? root.definitions : {}), ...(isObject(root.$defs) ? root.$defs : {}) };
  const walk = (node: unknown, path: string, stack: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`, stack));
    if (!isObject(node)) return node;
    const { $ref, $defs: _defs, definitions: _definitions, ...rest } = node;
    let base: JsonObject = {};
    if (typeof $ref === "string") {
      const name = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec($ref)?.[1];
      const target = name === undefined ? undefined : defs[decodeURIComponent(name)];
      if (name === undefined || !isObject(target)) {
        dropped.push(`${path}.$ref (${$ref}: not a local definition)`);
      } else if (stack.includes(name)) {
        dropped.push(`${path}.$ref (${$ref}: recursive)`);
      } else {
        base = walk(target, path, [...stack, name]) as JsonObject;
      }
    }
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(rest)) {
      out[key] = key === "properties" && isObject(value) ? walkProperties(value, path, stack, walk) : walk(value, `${path}.${key}`, stack);
    }
    return out;
  };
  return walk(root, "$", []) as JsonObject;
}

function walkProperties(
  props: JsonObject,
  path: string,
  stack: string[],
  walk: (node: unknown, path: string, stack: string[]) => unknown,
): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(props)) out[name] = walk(value, `${path}.properties.${name}`, stack);
  return out;
}
