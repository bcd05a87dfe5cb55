import { parseSse } from "../../http/parse-sse.js";
import type { ChatCall, ChatResult, ChatStreamResult, EmbeddingsCall, EmbeddingsResult, Provider, ProviderContext } from "../provider.js";
import { pickRelayHeaders } from "../shared/pick-relay-headers.js";
import { buildGeminiUrl, GEMINI_DEFAULT_BASE_URL } from "./build-gemini-url.js";
import { convertGeminiEmbedResponse, type GeminiEmbedResponse } from "./convert-gemini-embed-response.js";
import { convertGeminiResponse } from "./convert-gemini-response.js";
import { convertToGeminiEmbedRequest } from "./convert-to-gemini-embed-request.js";
import { convertToGeminiRequest } from "./convert-to-gemini-request.js";
import { fetchRemoteMedia } from "./fetch-remote-media.js";
import type { GeminiRequest, GeminiResponse } from "./gemini-types.js";
import { googleCapabilities } from "./google-capabilities.js";
import { postGemini, type GeminiEndpoint } from "./post-gemini.js";
import { readJsonBody } from "../shared/read-json-body.js";
import { transformGeminiStream } from "./transform-gemini-stream.js";

export interface GoogleProviderOptions {
  apiKey?: string;
  /** Default https://generativelanguage.googleapis.com/v1beta. */
  baseURL?: string;
  /** Extra headers on every upstream request. */
  headers?: Record<string, string>;
  /** Let the gateway fetch https media URLs itself (never private addresses). Off by default. */
  fetchUrls?: boolean;
}

/** The Gemini API provider (`type: "google"`): generateContent, streamGenerateContent and batchEmbedContents. */
export function createGoogleProvider(name: string, options: GoogleProviderOptions): Provider {
  const baseURL = options.baseURL ?? GEMINI_DEFAULT_BASE_URL;
  const endpoint: GeminiEndpoint = { provider: name, apiKey: options.apiKey, headers: options.headers };
  const fetchUrls = options.fetchUrls === true;

  const buildBody = async (call: ChatCall, ctx: ProviderContext): Promise<GeminiRequest> => {
    const media = fetchUrls ? await fetchRemoteMedia(call.request, ctx) : new Map();
    return convertToGeminiRequest(call.request, { model: call.route.model, media, fetchUrls, warn: ctx.warn });
  };
  const responseContext = (call: ChatCall, ctx: ProviderContext) => ({
    provider: name,
    model: call.route.model,
    requestId: ctx.requestId,
    created: Math.floor(ctx.now() / 1000),
  });

  return {
    name,
    type: "google",
    capabilities: googleCapabilities,

    async chat(call: ChatCall, ctx: ProviderContext): Promise<ChatResult> {
      const body = await buildBody(call, ctx);
      const response = await postGemini(endpoint, buildGeminiUrl(baseURL, call.route.model, "generateContent"), body, ctx);
      const json = await readJsonBody<GeminiResponse>(response, name);
      return { completion: convertGeminiResponse(json, responseContext(call, ctx)), headers: pickRelayHeaders(response.headers) };
    },

    async chatStream(call: ChatCall, ctx: ProviderContext): Promise<ChatStreamResult> {
      const body = await buildBody(call, ctx);
      const response = await postGemini(endpoint, buildGeminiUrl(baseURL, call.route.model, "streamGenerateContent"), body, ctx);
      const chunks = transformGeminiStream(parseSse(response.body), { ...responseContext(call, ctx), now: ctx.now });
      return { chunks, headers: pickRelayHeaders(response.headers) };
    },

    async embeddings(call: EmbeddingsCall, ctx: ProviderContext): Promise<EmbeddingsResult> {
      const { body, inputs } = convertToGeminiEmbedRequest(call.request, call.route.model);
      const response = await postGemini(endpoint, buildGeminiUrl(baseURL, call.route.model, "batchEmbedContents"), body, ctx);
      const json = await readJsonBody<GeminiEmbedResponse>(response, name);
      return {
        response: convertGeminiEmbedResponse(json, inputs, call.route.model, call.request.encoding_format, name),
        headers: pickRelayHeaders(response.headers),
      };
    },
  };
}
