import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { SPEC_DIR } from "./fixtures.js";

/** The response schemas the gateway's bodies are checked against. */
export type SpecSchemaName =
  | "CreateChatCompletionResponse"
  | "CreateChatCompletionStreamResponse"
  | "CreateCompletionResponse"
  | "Model"
  | "ListModelsResponse"
  | "ErrorResponse";

type Json = Record<string, unknown>;

/**
 * The spec still uses OpenAPI 3.0's `nullable: true` in ~112 places, which
 * JSON Schema 2020-12 ignores (see ../shared/spec/README.md step 3): make
 * `type` a union with "null" and let `enum` hold null. Walks each object once.
 */
function fixNullable(node: unknown, seen = new WeakSet<object>()): void {
  if (node === null || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) fixNullable(item, seen);
    return;
  }
  const schema = node as Json;
  if (schema.nullable === true) {
    if (typeof schema.type === "string") schema.type = [schema.type, "null"];
    else if (Array.isArray(schema.type) && !schema.type.includes("null")) schema.type = [...schema.type, "null"];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    delete schema.nullable;
  }
  for (const value of Object.values(schema)) fixNullable(value, seen);
}

let loading: Promise<Json> | undefined;
let schemas: Json | undefined;
const compiled = new Map<SpecSchemaName, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** Loads and dereferences the spec once per worker (about 0.3 s). */
export async function loadOpenAISpec(): Promise<void> {
  loading ??= (async () => {
    const api = (await SwaggerParser.dereference(join(SPEC_DIR, "openai-openapi.yml"))) as unknown as { components: { schemas: Json } };
    fixNullable(api.components.schemas);
    return api.components.schemas;
  })();
  schemas = await loading;
}

function validatorFor(name: SpecSchemaName): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  if (!schemas) throw new Error("call `await loadOpenAISpec()` (e.g. in beforeAll) before expectValid");
  // strict: false: the spec carries x-oaiMeta, discriminator and the custom format `unixtime`.
  ajv ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const fn = ajv.compile(schemas[name] as object);
  compiled.set(name, fn);
  return fn;
}

/** Whether a payload validates, with Ajv's errors when it does not. */
export function validateAgainstSpec(name: SpecSchemaName, payload: unknown): { valid: boolean; errors: string } {
  const fn = validatorFor(name);
  const valid = fn(payload) as boolean;
  return { valid, errors: valid ? "" : JSON.stringify(fn.errors?.slice(0, 5), null, 1) };
}

/** Asserts a body the gateway emitted is valid against the official OpenAI schema. */
export function expectValid(name: SpecSchemaName, payload: unknown): void {
  const { valid, errors } = validateAgainstSpec(name, payload);
  expect(valid, `${name} invalid: ${errors}\npayload: ${JSON.stringify(payload).slice(0, 800)}`).toBe(true);
}
