import type { GatewayRequest } from "../core/gateway-types.js";
import { headerValue } from "../core/header-value.js";
import type { NativeRoute } from "./resolve-native-route.js";

/**
 * Request headers a native call may carry upstream. Everything else the
 * caller sent (its modelmux key in authorization / x-api-key /
 * x-goog-api-key, cookies, forwarding headers, accept-encoding so the
 * usage tap can read the answer) is removed.
 */
export const NATIVE_ALLOWED_HEADERS: ReadonlySet<string> = new Set(["host", "content-type", "content-length", "accept", "user-agent", "anthropic-version", "anthropic-beta", "openai-beta", "x-goog-api-client"]);

/**
 * The provider's credentials in its own header: `x-api-key` and a default
 * `anthropic-version` (https://docs.anthropic.com/en/api/versioning),
 * `x-goog-api-key` (https://ai.google.dev/gemini-api/docs/api-key), or a
 * Bearer token. The key is listed as a secret so it is never echoed back.
 */
export function buildNativeAuth(route: NativeRoute, req: GatewayRequest): { setHeaders: Record<string, string>; secrets: string[] } {
  const o = route.options;
  const set: Record<string, string> = { ...o.headers };
  const key = o.apiKey;
  if (route.kind === "anthropic") {
    if (!headerValue(req.headers, "anthropic-version")) set["anthropic-version"] = ("version" in o && o.version) || "2023-06-01";
    if (key) set["x-api-key"] = key;
  } else if (route.kind === "google") {
    if (key) set["x-goog-api-key"] = key;
  } else if (key) set.authorization = `Bearer ${key}`;
  return { setHeaders: set, secrets: key ? [key] : [] };
}
