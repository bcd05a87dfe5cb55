import type { RequestListener } from "node:http";
import express from "express";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";
import { FakeUpstream, json, type Handler } from "../helpers/fake-upstream.js";
import { listen } from "../messages/messages-server.js";

const KEY = "mm-embeddings-caller-0001";
let oai: FakeUpstream;
let gem: FakeUpstream;
let gateway: Gateway;
let client: OpenAI;
let close: () => Promise<void>;

const vector = (seed: number, dims: number) => Array.from({ length: dims }, (_, i) => (seed + i) / 8);
const base64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString("base64");

/** An OpenAI-compatible /embeddings that honours encoding_format and dimensions, as OpenAI does. */
const openaiEmbeddings: Handler = (req, res) => {
  const body = req.json as { input: string | string[]; dimensions?: number; encoding_format?: string };
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const data = inputs.map((_, index) => {
    const v = vector(index, body.dimensions ?? 4);
    return { object: "embedding", index, embedding: body.encoding_format === "base64" ? base64(v) : v };
  });
  json(200, { object: "list", data, model: "text-embedding-3-small", usage: { prompt_tokens: 7 * inputs.length, total_tokens: 7 * inputs.length } })(req, res);
};

/** Gemini batchEmbedContents (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents). */
const geminiEmbeddings: Handler = (req, res) => {
  const body = req.json as { requests: Array<{ outputDimensionality?: number }> };
  json(200, { embeddings: body.requests.map((r, i) => ({ values: vector(i + 10, r.outputDimensionality ?? 3) })) })(req, res);
};

beforeAll(async () => {
  oai = await new FakeUpstream().start();
  gem = await new FakeUpstream().start();
  gateway = createGateway({
    providers: {
      oai: { type: "openai", baseURL: `${oai.url}/v1`, apiKey: "sk-up" },
      gem: { type: "google", baseURL: `${gem.url}/v1beta`, apiKey: "goog-up" },
    },
    models: [
      { id: "oai/text-embedding-3-small", kind: "embedding", pricing: { prompt: "0.02", completion: "0" }, routes: [{ provider: "oai", model: "text-embedding-3-small" }] },
      { id: "gem/gemini-embedding-001", kind: "embedding", pricing: { prompt: "0.15", completion: "0" }, routes: [{ provider: "gem", model: "gemini-embedding-001" }] },
      {
        id: "any/embed",
        kind: "embedding",
        pricing: { prompt: "0.1", completion: "0" },
        routes: [
          { provider: "oai", model: "text-embedding-3-small", priority: 0 },
          { provider: "gem", model: "gemini-embedding-001", priority: 1 },
        ],
      },
      { id: "oai/gpt-4.1-nano", routes: [{ provider: "oai", model: "gpt-4.1-nano" }] },
    ],
    keys: [KEY],
    retry: { maxRetries: 0 },
  });
  const app = express();
  app.use("/v1", expressGateway(gateway));
  const server = await listen(app as unknown as RequestListener);
  client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: KEY, maxRetries: 0 });
  close = async () => {
    server.server.closeAllConnections();
    await new Promise<void>((r) => server.server.close(() => r()));
    await oai.stop();
    await gem.stop();
    await gateway.close();
  };
});
afterAll(() => close());
beforeEach(() => {
  oai.reset();
  gem.reset();
  oai.on("/v1/embeddings", openaiEmbeddings);
  gem.on("/v1beta/models/gemini-embedding-001:batchEmbedContents", geminiEmbeddings);
});

describe("POST /embeddings with the official openai SDK", () => {
  it("works against an OpenAI-compatible upstream (the SDK's default base64 and explicit float)", async () => {
    const res = await client.embeddings.create({ model: "oai/text-embedding-3-small", input: ["a", "b"], dimensions: 4 });
    expect(res.data.map((d) => d.embedding)).toEqual([vector(0, 4), vector(1, 4)]);
    expect(res.model).toBe("oai/text-embedding-3-small");
    expect(res.usage).toMatchObject({ prompt_tokens: 14, total_tokens: 14 });
    expect((res.usage as unknown as { cost: number }).cost).toBeCloseTo((14 * 0.02) / 1e6, 12);
    expect(oai.requests[0]!.json).toMatchObject({ model: "text-embedding-3-small", input: ["a", "b"], dimensions: 4, encoding_format: "base64" });
    expect(oai.requests[0]!.headers.authorization).toBe("Bearer sk-up");

    const floats = await client.embeddings.create({ model: "oai/text-embedding-3-small", input: "one", encoding_format: "float" });
    expect(floats.data[0]!.embedding).toEqual(vector(0, 4));

    const logged = await gateway.store.listUsage({});
    const rec = logged.records.find((r) => r.endpoint === "/embeddings" && r.promptTokens === 14)!;
    expect(rec).toMatchObject({ model: "oai/text-embedding-3-small", provider: "oai", status: 200, completionTokens: 0 });
    expect(rec.costNano).toBe(280);
  });

  it("works against a Gemini upstream (batchEmbedContents)", async () => {
    const res = await client.embeddings.create({ model: "gem/gemini-embedding-001", input: ["x", "yz"], dimensions: 3 });
    expect(res.data.map((d) => d.embedding.map((n) => Math.round(n * 1000) / 1000))).toEqual([vector(10, 3), vector(11, 3)]);
    expect(gem.requests[0]!.headers["x-goog-api-key"]).toBe("goog-up");
    expect(gem.requests[0]!.json).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "x" }] }, outputDimensionality: 3 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "yz" }] }, outputDimensionality: 3 },
      ],
    });
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("falls back to the next route when one fails", async () => {
    oai.on("/v1/embeddings", json(503, { error: { message: "busy" } }));
    const res = await client.embeddings.create({ model: "any/embed", input: "hello", encoding_format: "float" });
    expect(res.data[0]!.embedding).toEqual(vector(10, 3));
    expect(oai.requests).toHaveLength(1);
    expect(gem.requests).toHaveLength(1);
    const logged = await gateway.store.listUsage({ model: "any/embed" });
    expect(logged.records[0]!.attempts.map((a) => a.provider)).toEqual(["oai", "gem"]);
  });

  it("refuses chat models, bad input and missing keys with OpenAI-shaped errors", async () => {
    await expect(client.embeddings.create({ model: "oai/gpt-4.1-nano", input: "x" })).rejects.toMatchObject({ status: 400, param: "model" });
    await expect(client.embeddings.create({ model: "oai/text-embedding-3-small", input: [] })).rejects.toMatchObject({ status: 400, param: "input" });
    const anon = new OpenAI({ baseURL: client.baseURL, apiKey: "not-a-key-0000", maxRetries: 0 });
    await expect(anon.embeddings.create({ model: "oai/text-embedding-3-small", input: "x" })).rejects.toMatchObject({ status: 401 });
    expect(oai.requests).toHaveLength(0);
  });
});
