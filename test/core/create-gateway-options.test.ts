import { describe, expect, it } from "vitest";
import { createGateway } from "modelmux";

type Options = Parameters<typeof createGateway>[0];
const route = (provider: string) => ({ provider, model: "x" });
const base = (extra: Record<string, unknown> = {}): Options =>
  ({ providers: { openai: { type: "openai", apiKey: "k" }, mock: { type: "mock" } }, ...extra }) as Options;

describe("createGateway option validation", () => {
  it.each([
    [
      "an unknown provider in a route",
      base({ models: [{ id: "a/a", routes: [route("openai")] }, { id: "b/b", routes: [route("mock")] }, { id: "c/c", routes: [route("opena")] }] }),
      'models[2].routes[0].provider: unknown provider "opena"',
    ],
    ["an unknown provider type", base({ providers: { x: { type: "nope" } } }), "providers.x.type"],
    ["a non-canonical model id", base({ models: [{ id: "noslash", routes: [route("openai")] }] }), "models[0].id"],
    ["a negative price", base({ models: [{ id: "a/a", pricing: { prompt: "-1", completion: "0" }, routes: [route("openai")] }] }), "models[0].pricing.prompt"],
    ["a model without routes", base({ models: [{ id: "a/a", routes: [] }] }), "models[0].routes"],
    ["a duplicate model id", base({ models: [{ id: "a/a", routes: [route("openai")] }, { id: "a/a", routes: [route("openai")] }] }), 'models[1].id: duplicate model id "a/a"'],
    ["a short static key", base({ keys: ["short"] }), "keys[0]"],
    ["a short admin key", base({ adminKey: "tiny" }), "adminKey"],
    ["a bad baseURL", base({ providers: { openai: { type: "openai", baseURL: "not a url" } } }), "providers.openai.baseURL"],
    ["a negative timeout", base({ timeouts: { totalMs: -1 } }), "timeouts.totalMs"],
    ["a hook that is not a function", base({ hooks: { onUsage: "nope" } }), "hooks.onUsage"],
    ["an unknown provider option", base({ providers: { openai: { type: "openai", apikey: "typo" } } }), "apikey"],
    ["an unknown top-level option", base({ modles: [] }), "modles"],
    ["a bad provider name", base({ providers: { "bad name": { type: "mock" } } }), "providers"],
    ["an empty key cache", base({ keyCache: { max: 0 } }), "keyCache.max"],
    ["a fractional key cache lifetime", base({ keyCache: { ttlMs: 1.5 } }), "keyCache.ttlMs"],
  ])("%s", (_label, options, expected) => {
    expect(() => createGateway(options)).toThrow(TypeError);
    expect(() => createGateway(options)).toThrow(expected);
  });

  it("accepts a valid configuration and adds the mock catalogue", async () => {
    const gateway = createGateway(base({ models: [{ id: "openai/gpt-4o-mini", pricing: { prompt: "0.15", completion: 0.6 }, routes: [route("openai")] }] }));
    expect(gateway.models.map((m) => m.id)).toEqual(expect.arrayContaining(["openai/gpt-4o-mini", "mock/echo"]));
    expect(gateway.models.find((m) => m.id === "openai/gpt-4o-mini")!.pricing.completion).toBe("0.6");
    await gateway.close();
  });
});
