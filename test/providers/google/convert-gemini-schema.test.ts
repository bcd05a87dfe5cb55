import { describe, expect, it } from "vitest";
import { convertGeminiSchema } from "../../../src/providers/google/convert-gemini-schema.js";

const cases: Array<{ name: string; input: Record<string, unknown>; expected: unknown; dropped: string[] }> = [
  {
    name: "types upper-cased, descriptions and constraints kept",
    input: { type: "object", description: "d", properties: { s: { type: "string", format: "date-time", pattern: "^a", maxLength: 5 }, n: { type: "number", minimum: 0, maximum: 9 }, a: { type: "array", items: { type: "boolean" }, minItems: 1 } } },
    expected: { type: "OBJECT", description: "d", properties: { s: { type: "STRING", format: "date-time", pattern: "^a", maxLength: 5 }, n: { type: "NUMBER", minimum: 0, maximum: 9 }, a: { type: "ARRAY", items: { type: "BOOLEAN" }, minItems: 1 } } },
    dropped: [],
  },
  {
    name: "type [T, null] -> nullable",
    input: { type: ["string", "null"] },
    expected: { type: "STRING", nullable: true },
    dropped: [],
  },
  {
    name: "several non-null types -> anyOf",
    input: { type: ["string", "integer"] },
    expected: { anyOf: [{ type: "STRING" }, { type: "INTEGER" }] },
    dropped: [],
  },
  {
    name: "anyOf with a null branch -> the other branch, nullable",
    input: { description: "x", anyOf: [{ type: "string", description: "inner" }, { type: "null" }] },
    expected: { type: "STRING", description: "x", nullable: true },
    dropped: [],
  },
  {
    name: "oneOf is sent as anyOf and reported",
    input: { oneOf: [{ type: "string" }, { type: "number" }] },
    expected: { anyOf: [{ type: "STRING" }, { type: "NUMBER" }] },
    dropped: ["$.oneOf (sent as anyOf)"],
  },
  {
    name: "allOf members are merged and reported",
    input: { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { type: "number" } }, required: ["b"] }] },
    expected: { type: "OBJECT", properties: { a: { type: "STRING" }, b: { type: "NUMBER" } }, required: ["a", "b"] },
    dropped: ["$.allOf (merged)"],
  },
  {
    name: "$ref/$defs are inlined",
    input: { type: "object", properties: { home: { $ref: "#/$defs/Addr", description: "home" }, work: { $ref: "#/definitions/Addr" } }, $defs: { Addr: { type: "object", properties: { city: { type: "string" } } } }, definitions: { Addr: { type: "object", properties: { city: { type: "string" } } } } },
    expected: { type: "OBJECT", properties: { home: { type: "OBJECT", description: "home", properties: { city: { type: "STRING" } } }, work: { type: "OBJECT", properties: { city: { type: "STRING" } } } } },
    dropped: [],
  },
  {
    name: "a recursive $ref cannot be inlined: reported",
    input: { type: "object", properties: { node: { $ref: "#/$defs/Node" } }, $defs: { Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" }, v: { type: "string" } } } } },
    expected: { type: "OBJECT", properties: { node: { type: "OBJECT", properties: { child: {}, v: { type: "STRING" } } } } },
    dropped: ["$.properties.node.properties.child.$ref (#/$defs/Node: recursive)"],
  },
  {
    name: "a non-local $ref is reported",
    input: { type: "object", properties: { x: { $ref: "https://example.com/x.json" } } },
    expected: { type: "OBJECT", properties: { x: {} } },
    dropped: ["$.properties.x.$ref (https://example.com/x.json: not a local definition)"],
  },
  {
    name: "const string -> enum; string enums kept, with null -> nullable",
    input: { type: "object", properties: { k: { const: "fixed" }, c: { enum: ["red", "blue", null] } } },
    expected: { type: "OBJECT", properties: { k: { type: "STRING", enum: ["fixed"] }, c: { type: "STRING", enum: ["red", "blue"], nullable: true } } },
    dropped: [],
  },
  {
    name: "non-string enums have no Gemini form: reported",
    input: { type: "integer", enum: [1, 2, 3] },
    expected: { type: "INTEGER" },
    dropped: ["$.enum (non-string values)"],
  },
  {
    name: "required names that are not properties are removed and reported; empty properties omitted",
    input: { type: "object", properties: { a: { type: "string" }, o: { type: "object", properties: {} } }, required: ["a", "ghost"] },
    expected: { type: "OBJECT", properties: { a: { type: "STRING" }, o: { type: "OBJECT" } }, required: ["a"] },
    dropped: ["$.required (names not in properties)"],
  },
  {
    name: "unsupported keywords dropped and reported with their path",
    input: { $schema: "x", $id: "y", type: "object", additionalProperties: false, properties: { n: { type: "number", multipleOf: 2, exclusiveMaximum: 9 }, t: { type: "array", items: [{ type: "string" }], uniqueItems: true } } },
    expected: { type: "OBJECT", properties: { n: { type: "NUMBER" }, t: { type: "ARRAY" } } },
    dropped: ["$.properties.n.multipleOf", "$.properties.n.exclusiveMaximum", "$.properties.t.items (tuple form)", "$.properties.t.uniqueItems", "$.$schema", "$.$id", "$.additionalProperties"],
  },
  {
    name: "missing type is inferred from properties/items",
    input: { properties: { l: { items: { type: "string" } } } },
    expected: { type: "OBJECT", properties: { l: { type: "ARRAY", items: { type: "STRING" } } } },
    dropped: [],
  },
];

describe("convertGeminiSchema", () => {
  for (const { name, input, expected, dropped } of cases) {
    it(name, () => {
      const out: string[] = [];
      expect(convertGeminiSchema(input, out)).toEqual(expected);
      expect(out.sort()).toEqual([...dropped].sort());
    });
  }
});
