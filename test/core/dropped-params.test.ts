import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway, type WarningInfo } from "modelmux";
import { FakeUpstream, json } from "../helpers/fake-upstream.js";

/**
 * DESIGN convention 6: a parameter a provider cannot honour is reported
 * (x-modelmux-dropped-params and the onWarning hook), never silently dropped.
 */
const anthropicAnswer = {
  id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 },
};

describe("dropped parameters are reported", () => {
  const upstream = new FakeUpstream();
  const warnings: WarningInfo[] = [];
  let gateway: Gateway;
  beforeAll(async () => {
    await upstream.start();
    gateway = createGateway({
      providers: { an: { type: "anthropic", baseURL: upstream.url, apiKey: "k" } },
      models: [{ id: "an/claude", routes: [{ provider: "an", model: "claude-sonnet-4-5" }] }],
      auth: false,
      hooks: { onWarning: (w) => void warnings.push(w) },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  const ask = (extra: Record<string, unknown>) =>
    gateway.handle({ method: "POST", path: "/chat/completions", headers: { "content-type": "application/json" }, body: { model: "an/claude", messages: [{ role: "user", content: "hi" }], ...extra } });

  it("names what the provider cannot honour in a header, and sends the rest", async () => {
    upstream.next(json(200, anthropicAnswer));
    const res = await ask({ logit_bias: { "1": 5 }, seed: 7, presence_penalty: 0.5, temperature: 0.3 });
    expect(res.kind).toBe("json");
    if (res.kind !== "json") return;
    expect(res.status).toBe(200);
    expect(res.headers["x-modelmux-dropped-params"]?.split(",").sort()).toEqual(["logit_bias", "presence_penalty", "seed"]);
    const sent = upstream.requests.at(-1)!.json as Record<string, unknown>;
    expect(sent.temperature).toBe(0.3);
    expect(sent).not.toHaveProperty("seed");
  });

  it("refuses input the model's modalities exclude (422) before any upstream call", async () => {
    const before = upstream.requests.length;
    const res = await ask({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }] });
    // The model's default modalities are text only.
    expect(res.kind === "json" && res.status).toBe(422);
    expect(upstream.requests.length).toBe(before);
  });

  it("with require_parameters and no capable route, answers 400 naming the parameter", async () => {
    const before = upstream.requests.length;
    const res = await ask({ logprobs: true, provider: { require_parameters: true } });
    expect(res.kind === "json" && res.status).toBe(400);
    expect(res.kind === "json" && (res.body as { error: { param: string } }).error.param).toBe("logprobs");
    expect(upstream.requests.length).toBe(before);
  });

  it("calls onWarning for conversions the provider makes", async () => {
    warnings.length = 0;
    upstream.next(json(200, anthropicAnswer));
    // Anthropic caps temperature at 1: the provider lowers it and says so.
    const res = await ask({ temperature: 1.7 });
    expect(res.kind === "json" && res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings.some((w) => w.param === "temperature" && w.provider === "an")).toBe(true);
    expect(res.kind === "json" && res.headers["x-modelmux-dropped-params"]).toContain("temperature");
  });
});
