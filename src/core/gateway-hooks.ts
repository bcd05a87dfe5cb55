import type { AccountsHooks } from "../accounts/accounts-options.js";
import type { GatewayRequest } from "./gateway-types.js";

/** What a beforeRequest hook sees and may change. */
export interface RequestContext {
  requestId: string;
  endpoint: string;
  request: GatewayRequest;
  /** The parsed body; a hook may edit it in place or return a replacement. */
  body: Record<string, unknown>;
  keyId: string | null;
  principal: unknown;
}

export interface WarningInfo {
  requestId: string;
  provider: string;
  model: string;
  param: string;
  reason: string;
}

export interface GatewayHooks extends Omit<AccountsHooks, "beforeRequest"> {
  /** May change the body (return a new one) or refuse by throwing a GatewayError. */
  beforeRequest?: (ctx: RequestContext) => unknown;
  /** A parameter a provider could not honour (also sent as x-modelmux-dropped-params). */
  onWarning?: (warning: WarningInfo) => unknown;
}
