import type { GatewayRequest } from "../core/gateway-types.js";

function header(request: GatewayRequest, name: string): string | undefined {
  const value = request.headers[name] ?? request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first.trim();
}

/**
 * The caller's key: `Authorization: Bearer <key>` (OpenAI), else `x-api-key`
 * (what Anthropic SDK clients send to /messages), else `x-goog-api-key` (Gemini SDKs).
 */
export function readApiToken(request: GatewayRequest): string | null {
  const authorization = header(request, "authorization");
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ?? null;
  }
  return header(request, "x-api-key") ?? header(request, "x-goog-api-key") ?? null;
}
