import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/catalog/build-catalog.js";
import { resolveModel, suggestModels } from "../../src/catalog/resolve-model.js";
import { GatewayError } from "../../src/errors/gateway-error.js";

const m = (id: string) => ({ id, routes: [{ provider: id.split("/")[0]!, model: id.split("/")[1]! }] });
const catalog = buildCatalog(
  [m("openai/gpt-4o-mini"), m("azure/gpt-4o-mini"), m("openai/gpt-4o"), m("anthropic/claude-sonnet-4"), m("google/gemini-2.5-flash")] as Parameters<typeof buildCatalog>[0],
  { openai: { type: "openai" }, azure: { type: "openai" }, anthropic: { type: "anthropic" }, google: { type: "google" } } as Parameters<typeof buildCatalog>[1],
  false,
  0,
);

function notFound(id: string, param?: string): GatewayError {
  try {
    resolveModel(catalog, id, param);
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error(`'${id}' resolved`);
}

describe("resolveModel", () => {
  it.each([
    ["openai/gpt-4o-mini", "openai/gpt-4o-mini"],
    ["azure/gpt-4o-mini", "azure/gpt-4o-mini"],
    ["gpt-4o", "openai/gpt-4o"],
    ["claude-sonnet-4", "anthropic/claude-sonnet-4"],
    ["gemini-2.5-flash", "google/gemini-2.5-flash"],
  ])("%s -> %s", (id, expected) => {
    expect(resolveModel(catalog, id).id).toBe(expected);
  });

  it("an ambiguous bare id is a 404 listing every match", () => {
    const e = notFound("gpt-4o-mini");
    expect(e).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
    expect(e.message).toContain("openai/gpt-4o-mini");
    expect(e.message).toContain("azure/gpt-4o-mini");
    expect(e.message).toMatch(/ambiguous/);
  });

  it.each([
    ["gpt-4o-mni", ["openai/gpt-4o-mini"]],
    ["openai/gpt-4o-mine", ["openai/gpt-4o-mini"]],
    ["claude-sonet-4", ["anthropic/claude-sonnet-4"]],
    ["gemini-2.5-flsh", ["google/gemini-2.5-flash"]],
  ])("an unknown id %s suggests close matches", (id, expected) => {
    const e = notFound(id);
    expect(e).toMatchObject({ status: 404, code: "model_not_found" });
    for (const s of expected) expect(e.message).toContain(s);
    expect(e.message).toContain("Did you mean");
  });

  it("a far-off id gets no suggestions", () => {
    expect(notFound("zzzzzzzzzzzzzzzzzz").message).not.toContain("Did you mean");
  });

  it("reports the parameter it was given (a fallback list entry)", () => {
    expect(notFound("nope/nope", "models[2]").param).toBe("models[2]");
  });

  it("suggests at most three ids", () => {
    expect(suggestModels(catalog, "gpt").length).toBeLessThanOrEqual(3);
  });
});
