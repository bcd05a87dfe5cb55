import { request as httpRequest, type RequestListener } from "node:http";
import express from "express";
import Koa from "koa";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";
import { koaGateway } from "modelmux/koa";
import { FakeUpstream } from "../helpers/fake-upstream.js";
import { listen } from "../messages/messages-server.js";

export const CALLER_KEY = "mm-native-caller-key-0001";
export const UPSTREAM_KEYS = { anth: "sk-ant-NATIVE-secret", gem: "goog-NATIVE-secret", oai: "sk-oai-NATIVE-secret" };

export const FRAMEWORKS: Array<{ name: string; mount(gateway: Gateway): RequestListener }> = [
  {
    name: "express",
    mount(gateway) {
      const app = express();
      app.use("/v1", expressGateway(gateway));
      app.use((_req, res) => void res.status(404).json({ host: "not found" }));
      return app as unknown as RequestListener;
    },
  },
  {
    name: "koa",
    mount(gateway) {
      const app = new Koa();
      app.silent = true;
      app.use(koaGateway(gateway, { prefix: "/v1" }));
      app.use((ctx) => {
        ctx.status = 404;
        ctx.body = { host: "not found" };
      });
      return app.callback() as unknown as RequestListener;
    },
  },
];

export interface NativeRig {
  anth: FakeUpstream;
  gem: FakeUpstream;
  oai: FakeUpstream;
  gateway: Gateway;
  origin: string;
  all(): FakeUpstream[];
  close(): Promise<void>;
}

export async function startNativeRig(mount: (g: Gateway) => RequestListener): Promise<NativeRig> {
  const anth = await new FakeUpstream().start();
  const gem = await new FakeUpstream().start();
  const oai = await new FakeUpstream().start();
  const gateway = createGateway({
    providers: {
      anth: { type: "anthropic", baseURL: anth.url, apiKey: UPSTREAM_KEYS.anth },
      gem: { type: "google", baseURL: `${gem.url}/v1beta`, apiKey: UPSTREAM_KEYS.gem },
      oai: { type: "openai", baseURL: `${oai.url}/v1`, apiKey: UPSTREAM_KEYS.oai },
    },
    models: [
      { id: "anth/claude-sonnet-4-5", pricing: { prompt: "3", completion: "15" }, routes: [{ provider: "anth", model: "claude-sonnet-4-5-20250929" }] },
      { id: "gem/gemini-3-pro", pricing: { prompt: "2", completion: "12" }, routes: [{ provider: "gem", model: "gemini-3-pro-preview" }] },
      { id: "oai/gpt-4.1-nano", pricing: { prompt: "0.1", completion: "0.4" }, routes: [{ provider: "oai", model: "gpt-4.1-nano" }] },
    ],
    keys: [CALLER_KEY],
  });
  const { server, origin } = await listen(mount(gateway));
  return {
    anth,
    gem,
    oai,
    gateway,
    origin,
    all: () => [anth, gem, oai],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all([anth.stop(), gem.stop(), oai.stop()]);
      await gateway.close();
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** ms from sending to the first body chunk, and to the end. */
  firstChunkMs: number;
  endMs: number;
  chunks: number;
}

/** A raw HTTP request whose path is sent byte for byte (fetch would normalise `..` and `//`). */
export function rawRequest(origin: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  const url = new URL(origin);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = "";
      let first = -1;
      let chunks = 0;
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        if (first < 0) first = Date.now() - started;
        chunks++;
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, firstChunkMs: first, endMs: Date.now() - started, chunks }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Waits for the usage record of a native request (it is written as the answer ends). */
export async function waitForUsage(gateway: Gateway, endpoint: string, count = 1) {
  for (let i = 0; i < 100; i++) {
    const { records } = await gateway.store.listUsage({});
    const found = records.filter((r) => r.endpoint === endpoint && r.status !== 0);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no usage record for ${endpoint}`);
}
