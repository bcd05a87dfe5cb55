import { describe, expect, it } from "vitest";
import { toGatewayRequest } from "../../adapters/node/to-gateway-request.js";
import { Cancel } from "../../src/core/cancel.js";

describe("toGatewayRequest", () => {
  it("computes clientAddress only when read, by the host's function, each time", () => {
    let calls = 0;
    const request = toGatewayRequest("POST", "/chat/completions", { host: "x" }, "{}", new Cancel(), () => `10.0.0.${++calls}`);
    expect(calls).toBe(0);
    expect(request.clientAddress).toBe("10.0.0.1");
    expect(request.clientAddress).toBe("10.0.0.2");
  });

  it("gives a signal that follows the cancel, aborted or not yet", () => {
    const cancel = new Cancel();
    const request = toGatewayRequest("POST", "/chat/completions", {}, undefined, cancel, () => undefined);
    const signal = request.signal!;
    expect(signal.aborted).toBe(false);
    cancel.abort("gone");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("gone");
    const late = toGatewayRequest("GET", "/models", {}, undefined, cancel, () => undefined);
    expect(late.signal!.aborted).toBe(true);
  });

  it("spreads like plain data: the fields, the address and the signal are copied; the host's function is not", () => {
    const cancel = new Cancel();
    const request = toGatewayRequest("POST", "/embeddings", { a: "1" }, { input: "x" }, cancel, () => "::1");
    const copy = { ...request, headers: { ...request.headers, b: "2" } };
    expect(copy).toEqual({ method: "POST", path: "/embeddings", headers: { a: "1", b: "2" }, body: { input: "x" }, cancel, signal: cancel.signal, clientAddress: "::1" });
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
  });
});
