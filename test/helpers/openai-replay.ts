import type { ServerResponse } from "node:http";
import { FakeUpstream, json, sse, type Handler, type RecordedRequest, type SseOptions } from "./fake-upstream.js";
import { fixtureCassette, fixtureChunks, fixtureJson, type CassetteInteraction } from "./fixtures.js";

/** Replays one VCR interaction: the raw SSE text as recorded (`body.string`) or its JSON body. */
export function cassetteHandler(interaction: CassetteInteraction): Handler {
  return (_req, res: ServerResponse) => {
    const status = interaction.response.status.code;
    const raw = interaction.response.body?.string;
    if (raw !== undefined) {
      res.writeHead(status, { "content-type": "text/event-stream" });
      res.end(raw);
      return;
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(interaction.response.parsed_body));
  };
}

/** The handler for a cassette's n-th interaction. */
export function cassette(rel: string, index = 0): Handler {
  const interaction = fixtureCassette(rel)[index];
  if (!interaction) throw new Error(`${rel} has no interaction ${index}`);
  return cassetteHandler(interaction);
}

/** A `.chunks.txt` recording replayed as OpenAI SSE (each line a `data:` event, then [DONE]). */
export function chunks(rel: string, opts: SseOptions = {}): Handler {
  return sse(fixtureChunks(rel), { done: true, ...opts });
}

export function jsonFixture(rel: string, status = 200, headers: Record<string, string> = {}): Handler {
  return json(status, fixtureJson(rel), headers);
}

/** Answers by the request's `stream` flag: the `.chunks.txt` twin when streaming, the `.json` otherwise. */
export function byStream(streaming: Handler, plain: Handler): Handler {
  return (req: RecordedRequest, res) => ((req.json as { stream?: boolean } | undefined)?.stream ? streaming(req, res) : plain(req, res));
}

/**
 * A fake OpenAI upstream that replays the recordings at fixed paths:
 * /v1/chat/completions (openai-text) and /v1/completions (openai-completion-text).
 */
export async function startOpenAIReplay(): Promise<FakeUpstream> {
  const fake = await new FakeUpstream().start();
  installDefaultRoutes(fake);
  return fake;
}

export function installDefaultRoutes(fake: FakeUpstream): void {
  fake.on("/v1/chat/completions", byStream(chunks("openai/openai-text.chunks.txt"), jsonFixture("openai/openai-text.json")));
  fake.on("/v1/completions", byStream(chunks("openai/openai-completion-text.chunks.txt"), jsonFixture("openai/openai-completion-text.json")));
}

/** The JSON bodies the fake upstream received on a path. */
export function sentBodies(fake: FakeUpstream, path: string): Array<Record<string, unknown>> {
  return fake.requests.filter((r) => r.url.split("?")[0] === path).map((r) => r.json as Record<string, unknown>);
}
