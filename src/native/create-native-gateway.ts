import type { GatewayRuntime } from "../core/gateway-runtime.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import type { NativeGateway } from "./native-types.js";
import { prepareNative } from "./prepare-native.js";

/** `gateway.native`: what the adapters' proxy asks before forwarding `/native/{provider}/...`. */
export function createNativeGateway(rt: GatewayRuntime, providers: Record<string, ProviderOptions>, ready: () => Promise<void>): NativeGateway {
  return {
    async prepare(request) {
      await ready();
      return prepareNative(rt, providers, request);
    },
  };
}
