import { upstreamRequest } from "../shared/upstream-request.js";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { ProviderContext } from "../provider.js";
import type { GeminiInlineData } from "./gemini-types.js";
import { guessMimeType } from "./guess-mime-type.js";
import { isNativeGeminiUri } from "./is-native-gemini-uri.js";
import { isPrivateAddress } from "./is-private-address.js";
import type { RemoteMedia } from "./remote-media.js";

/** Resolves a host name to all its addresses (injected in tests). */
export type LookupAddresses = (hostname: string) => Promise<string[]>;

/** Gemini's inline request data limit is 20 MB (https://ai.google.dev/gemini-api/docs/file-input-methods). */
const MAX_BYTES = 20 * 1024 * 1024;

const defaultLookup: LookupAddresses = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

/**
 * With `fetchUrls` on, downloads the https image URLs of the request through
 * the injected transport so they can be sent as `inlineData`. Hosts that
 * resolve to a private, loopback or link-local address are refused (SSRF).
 * The check resolves the name before the transport does, so a DNS answer
 * that changes in between is not caught; hosts that need that guarantee
 * should put the gateway behind an egress proxy. Failures are recorded, not
 * thrown: the converter reports the part and drops it.
 */
export async function fetchRemoteMedia(request: ChatRequest, ctx: ProviderContext, lookup: LookupAddresses = defaultLookup): Promise<RemoteMedia> {
  const media: RemoteMedia = new Map();
  for (const url of collectUrls(request)) {
    try {
      media.set(url, await fetchOne(url, ctx, lookup));
    } catch (error) {
      media.set(url, { error: error instanceof Error ? error.message : String(error) });
    }
  }
  return media;
}

function collectUrls(request: ChatRequest): Set<string> {
  const urls = new Set<string>();
  for (const message of request.messages) {
    if ((message.role !== "user" && message.role !== "tool") || typeof message.content === "string") continue;
    for (const part of message.content) {
      if (part.type === "image_url" && /^https:\/\//i.test(part.image_url.url) && !isNativeGeminiUri(part.image_url.url)) urls.add(part.image_url.url);
    }
  }
  return urls;
}

async function fetchOne(url: string, ctx: ProviderContext, lookup: LookupAddresses): Promise<GeminiInlineData> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await lookup(host);
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new Error("the host is a private or loopback address");
  const response = await ctx.transport(upstreamRequest(ctx, url, "GET", { accept: "image/*,application/pdf,audio/*,video/*" }));
  if (response.status !== 200) {
    await response.dump();
    throw new Error(`HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_BYTES) throw new Error("larger than Gemini's 20 MB inline limit");
    chunks.push(chunk);
  }
  const header = response.headers["content-type"];
  const type = (Array.isArray(header) ? header[0] : header)?.split(";")[0]?.trim().toLowerCase();
  const mimeType = type && type !== "application/octet-stream" ? type : (guessMimeType(url) ?? "application/octet-stream");
  return { mimeType, data: Buffer.concat(chunks).toString("base64") };
}
