import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { abortSignalFor, cancelFor } from "../../adapters/node/abort-signal-for.js";
import { GatewayError } from "../../src/errors/gateway-error.js";

/** The part of a ServerResponse the helpers use. */
const response = (finished: boolean) => Object.assign(new EventEmitter(), { writableFinished: finished }) as unknown as ServerResponse;

describe("cancelFor / abortSignalFor", () => {
  it("abort as client_closed when the response closes before it finished", () => {
    const res = response(false);
    const cancel = cancelFor(res);
    const signal = abortSignalFor(res);
    expect(cancel.aborted).toBe(false);
    res.emit("close");
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBeInstanceOf(GatewayError);
    expect((cancel.reason as GatewayError).code).toBe("client_closed");
    expect(signal.aborted).toBe(true);
    expect((signal.reason as GatewayError).code).toBe("client_closed");
  });

  it("do not abort when the response closes after it finished", () => {
    const res = response(true);
    const cancel = cancelFor(res);
    res.emit("close");
    expect(cancel.aborted).toBe(false);
  });
});
