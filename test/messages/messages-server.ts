import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createGateway, type Gateway, type GatewayOptions } from "modelmux";
import { expressGateway } from "modelmux/express";
import { FakeUpstream } from "../helpers/fake-upstream.js";

export const CALLER_KEY = "mm-test-caller-key-0001";
export const OPENAI_UPSTREAM_KEY = "sk-upstream-openai-secret";
export const ANTHROPIC_UPSTREAM_KEY = "sk-ant-upstream-secret";

export interface MessagesRig {
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  gateway: Gateway;
  origin: string;
  close(): Promise<void>;
}

export async function listen(listener: RequestListener): Promise<{ server: Server; origin: string }> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** An Express host with the gateway at /v1, an OpenAI-format and an Anthropic fake upstream behind it. */
export async function startMessagesRig(extra: Partial<GatewayOptions> = {}): Promise<MessagesRig> {
  const openai = await new FakeUpstream().start();
  const anthropic = await new FakeUpstream().start();
  const gateway = createGateway({
    providers: {
      oai: { type: "openai", baseURL: `${openai.url}/v1`, apiKey: OPENAI_UPSTREAM_KEY },
      anth: { type: "anthropic", baseURL: anthropic.url, apiKey: ANTHROPIC_UPSTREAM_KEY },
    },
    models: [
      { id: "oai/gpt-4.1-nano", context_length: 128_000, pricing: { prompt: "0.1", completion: "0.4" }, routes: [{ provider: "oai", model: "gpt-4.1-nano" }] },
      { id: "anth/claude-sonnet-4-5", context_length: 200_000, pricing: { prompt: "3", completion: "15", input_cache_read: "0.3" }, routes: [{ provider: "anth", model: "claude-sonnet-4-5-20250929" }] },
      {
        id: "mix/claude-then-gpt",
        routes: [
          { provider: "anth", model: "claude-sonnet-4-5-20250929", priority: 0 },
          { provider: "oai", model: "gpt-4.1-nano", priority: 1 },
        ],
      },
    ],
    keys: [CALLER_KEY],
    retry: { maxRetries: 0 },
    ...extra,
  });
  const app = express();
  app.use("/v1", expressGateway(gateway));
  const { server, origin } = await listen(app as unknown as RequestListener);
  return {
    openai,
    anthropic,
    gateway,
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await openai.stop();
      await anthropic.stop();
      await gateway.close();
    },
  };
}
