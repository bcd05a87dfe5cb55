import { GatewayError } from "../errors/gateway-error.js";
import { notFound } from "../errors/errors.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import { checkNativePath } from "./check-native-path.js";
import type { NativeKind } from "./native-types.js";

export interface NativeRoute {
  provider: string;
  kind: NativeKind;
  options: Exclude<ProviderOptions, { type: "mock" }>;
  /** Upstream origin and path (query included, `key` removed). */
  target: string;
  path: string;
  /** The model named in the path (Gemini), if any. */
  pathModel?: string;
  /** `?key=` as Gemini clients send it: the caller's modelmux key. */
  queryKey?: string;
}

const DEFAULT_BASE: Record<NativeKind, string> = {
  anthropic: "https://api.anthropic.com",
  google: "https://generativelanguage.googleapis.com/v1beta",
  openai: "https://api.openai.com/v1",
};

/** Anthropic's token counting and Messages (https://docs.anthropic.com/en/api/messages-count-tokens). */
const ANTHROPIC_PATHS = new Set(["/v1/messages", "/v1/messages/count_tokens"]);
/** https://ai.google.dev/api/generate-content: the version prefix the caller used is replaced by the base URL's. */
const GEMINI_PATH = /^(?:\/v1(?:alpha|beta)?)?\/models\/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent)$/;

/**
 * Maps `/native/{provider}/{rest}` to the configured provider's own API.
 * Unknown providers and paths outside each API's allowlist are 404s; the
 * upstream host is always the configured base URL's, never the caller's.
 */
export function resolveNativeRoute(providers: Record<string, ProviderOptions>, method: string, rawPath: string): NativeRoute {
  const q = rawPath.indexOf("?");
  const segments = checkNativePath(q === -1 ? rawPath : rawPath.slice(0, q));
  const provider = segments[0]!;
  const options = providers[provider];
  if (!options || options.type === "mock") throw notFound(`No native API for provider '${provider}'`, "provider_not_found", "path");
  const kind: NativeKind = options.type;
  const rest = `/${segments.slice(1).join("/")}`;
  const query = new URLSearchParams(q === -1 ? "" : rawPath.slice(q + 1));
  const queryKey = query.get("key") ?? undefined;
  query.delete("key");
  const base = new URL(options.baseURL ?? DEFAULT_BASE[kind]);
  const basePath = base.pathname.replace(/\/+$/, "");
  const search = query.size > 0 ? `?${query.toString()}` : "";
  const post = method.toUpperCase() === "POST";

  if (kind === "anthropic") {
    if (!post || !ANTHROPIC_PATHS.has(rest)) throw pathNotAllowed(provider, rest);
    return { provider, kind, options, target: base.origin, path: `${basePath.replace(/\/v1$/, "")}${rest}${search}`, queryKey };
  }
  if (kind === "google") {
    const m = GEMINI_PATH.exec(rest);
    if (!post || !m) throw pathNotAllowed(provider, rest);
    return { provider, kind, options, target: base.origin, path: `${basePath}/models/${m[1]}:${m[2]}${search}`, pathModel: m[1], queryKey };
  }
  return { provider, kind, options, target: base.origin, path: `${basePath}${rest}${search}`, queryKey };
}

function pathNotAllowed(provider: string, rest: string): GatewayError {
  return notFound(`The path '${rest}' is not served by the native '${provider}' API`, "not_found", "path");
}
