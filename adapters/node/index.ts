export { readRequestBody } from "./read-request-body.js";
export { writeGatewayResponse } from "./write-gateway-response.js";
export { abortSignalFor, cancelFor } from "./abort-signal-for.js";
export { toGatewayRequest } from "./to-gateway-request.js";
export type { NodeAdapterOptions } from "./node-adapter-options.js";
export { nodeGateway, type NodeGatewayOptions } from "./node-gateway.js";
export { createNodeHandler, type NodeHandler } from "./create-node-handler.js";
export { stripMountPrefix } from "./strip-mount-prefix.js";
export { createNativeProxy, isNativePath, type NativeProxy } from "./proxy-native.js";
