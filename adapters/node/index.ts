export { readRequestBody } from "./read-request-body.js";
export { writeGatewayResponse } from "./write-gateway-response.js";
export { abortSignalFor, cancelFor } from "./abort-signal-for.js";
export { toGatewayRequest } from "./to-gateway-request.js";
export type { NodeAdapterOptions } from "./node-adapter-options.js";
export { createNativeProxy, isNativePath, type NativeProxy } from "./proxy-native.js";
