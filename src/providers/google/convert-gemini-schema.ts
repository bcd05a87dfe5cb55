import type { GeminiSchema } from "./gemini-types.js";
import { resolveSchemaRefs } from "./resolve-schema-refs.js";

type JsonObject = Record<string, unknown>;

/**
 * Keywords of Gemini's Schema object (an OpenAPI 3.0 subset: discovery doc
 * `Schema`, https://ai.google.dev/api/caching#Schema) copied as they are.
 * `type`, `enum`, `const`, `anyOf`/`oneOf`/`allOf`, `properties`,
 * `required` and `items` are translated below.
 *
 * Everything else is dropped and reported, notably: `$schema`, `$id`,
 * `$comment`, `additionalProperties`, `patternProperties`,
 * `unevaluatedProperties`, `exclusiveMinimum`, `exclusiveMaximum`,
 * `multipleOf`, `uniqueItems`, `prefixItems`, tuple `items`, `contains`,
 * `not`, `if`/`then`/`else`, `dependentRequired`, `dependentSchemas`,
 * `examples`, `readOnly`, `writeOnly`, `deprecated`, `contentEncoding`,
 * `contentMediaType`, non-string `enum`/`const` values (Gemini enums are
 * STRING only), recursive or non-local `$ref`. `oneOf` is sent as `anyOf`
 * (looser) and reported; `allOf` is merged into one schema and reported.
 */
const COPIED = [
  "title", "description", "format", "default", "example", "pattern", "minimum", "maximum",
  "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "propertyOrdering",
] as const;
const TRANSLATED = new Set(["type", "enum", "const", "anyOf", "oneOf", "allOf", "properties", "required", "items", "nullable"]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON Schema -> Gemini Schema; every keyword it cannot carry is appended to `dropped` as "path.keyword". */
export function convertGeminiSchema(schema: JsonObject, dropped: string[]): GeminiSchema {
  return convertNode(resolveSchemaRefs(schema, dropped), "$", dropped);
}

function convertNode(input: unknown, path: string, dropped: string[]): GeminiSchema {
  if (!isObject(input)) return {};
  const node = mergeAllOf(input, path, dropped);
  const types = (Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]).filter((t): t is string => typeof t === "string");
  const nonNull = types.filter((t) => t !== "null");
  if (nonNull.length > 1) {
    // ["string","number"]: Gemini takes one type per schema, so each becomes an anyOf branch.
    const branches = nonNull.map((t) => convertNode({ ...node, type: t }, path, dropped));
    return types.includes("null") ? { anyOf: branches, nullable: true } : { anyOf: branches };
  }
  const out: GeminiSchema = {};
  if (nonNull[0] !== undefined) out.type = nonNull[0].toUpperCase();
  else if (types.includes("null")) out.type = "NULL";
  if (types.includes("null") && nonNull.length === 1) out.nullable = true;
  if (node.nullable === true) out.nullable = true;
  for (const key of COPIED) if (node[key] !== undefined) (out as JsonObject)[key] = node[key];
  convertEnum(node, out, path, dropped);
  convertComposition(node, out, path, dropped);
  convertObject(node, out, path, dropped);
  convertItems(node, out, path, dropped);
  for (const key of Object.keys(node)) {
    if (!TRANSLATED.has(key) && !(COPIED as readonly string[]).includes(key)) dropped.push(`${path}.${key}`);
  }
  return out;
}

function convertEnum(node: JsonObject, out: GeminiSchema, path: string, dropped: string[]): void {
  const values = node.enum !== undefined ? node.enum : node.const !== undefined ? [node.const] : undefined;
  if (!Array.isArray(values)) return;
  const keyword = node.enum !== undefined ? "enum" : "const";
  if (values.includes(null)) out.nullable = true;
  const rest = values.filter((v) => v !== null);
  if (rest.every((v) => typeof v === "string")) {
    out.enum = rest as string[];
    out.type ??= "STRING";
  } else {
    dropped.push(`${path}.${keyword} (non-string values)`);
  }
}

function convertComposition(node: JsonObject, out: GeminiSchema, path: string, dropped: string[]): void {
  const key = Array.isArray(node.anyOf) ? "anyOf" : Array.isArray(node.oneOf) ? "oneOf" : undefined;
  if (key === undefined) return;
  if (key === "oneOf") dropped.push(`${path}.oneOf (sent as anyOf)`);
  const branches = (node[key] as unknown[]).map((b, i) => convertNode(b, `${path}.${key}[${i}]`, dropped));
  const nonNull = branches.filter((b) => b.type !== "NULL");
  if (nonNull.length < branches.length) out.nullable = true;
  if (nonNull.length === 1) Object.assign(out, { ...nonNull[0], ...out }); // the outer keywords win
  else if (nonNull.length > 1) out.anyOf = nonNull;
}

function convertObject(node: JsonObject, out: GeminiSchema, path: string, dropped: string[]): void {
  if (!isObject(node.properties)) return;
  out.type ??= "OBJECT";
  const props: Record<string, GeminiSchema> = {};
  for (const [name, value] of Object.entries(node.properties)) props[name] = convertNode(value, `${path}.properties.${name}`, dropped);
  // Gemini rejects an OBJECT whose `properties` is empty ("should be non-empty for OBJECT type").
  if (Object.keys(props).length > 0) out.properties = props;
  if (Array.isArray(node.required)) {
    // Gemini 400s on a required name that is not a declared property.
    const required = node.required.filter((r): r is string => typeof r === "string" && r in props);
    if (required.length < node.required.length) dropped.push(`${path}.required (names not in properties)`);
    if (required.length > 0) out.required = required;
  }
}

function convertItems(node: JsonObject, out: GeminiSchema, path: string, dropped: string[]): void {
  if (node.items === undefined) return;
  if (!isObject(node.items)) {
    dropped.push(`${path}.items (tuple form)`);
    return;
  }
  out.type ??= "ARRAY";
  out.items = convertNode(node.items, `${path}.items`, dropped);
}

/** allOf has no Gemini form: its members are merged (properties and required unioned). */
function mergeAllOf(node: JsonObject, path: string, dropped: string[]): JsonObject {
  if (!Array.isArray(node.allOf)) return node;
  const { allOf, ...rest } = node;
  if (allOf.length > 1) dropped.push(`${path}.allOf (merged)`);
  const merged: JsonObject = {};
  for (const member of [...allOf, rest]) {
    if (!isObject(member)) continue;
    const properties = { ...(isObject(merged.properties) ? merged.properties : {}), ...(isObject(member.properties) ? member.properties : {}) };
    const required = [...(Array.isArray(merged.required) ? merged.required : []), ...(Array.isArray(member.required) ? member.required : [])];
    Object.assign(merged, member);
    if (Object.keys(properties).length > 0) merged.properties = properties;
    if (required.length > 0) merged.required = [...new Set(required)];
  }
  return mergeAllOf(merged, path, dropped);
}
