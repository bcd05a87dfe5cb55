import { describe, expect, it } from "vitest";
import { asBuffer } from "../../src/core/as-buffer.js";
import { readJsonRequest } from "../../src/core/read-json-request.js";

describe("asBuffer", () => {
  it("returns a Buffer as it is", () => {
    const b = Buffer.from('{"a":1}');
    expect(asBuffer(b)).toBe(b);
  });

  it("views a Uint8Array's own bytes (offset and length kept) without copying them", () => {
    const whole = new TextEncoder().encode('xx{"model":"a/b"}yy');
    const view = whole.subarray(2, whole.length - 2);
    const b = asBuffer(view);
    expect(b.toString("utf8")).toBe('{"model":"a/b"}');
    whole[4] = "M".charCodeAt(0);
    expect(b.toString("utf8")).toBe('{"Model":"a/b"}');
  });

  it("lets the core read a body handed over as a plain Uint8Array view", () => {
    const whole = new TextEncoder().encode('--{"model":"a/b","messages":[]}--');
    const body = readJsonRequest({ method: "POST", path: "/chat/completions", headers: { "content-type": "application/json" }, body: whole.subarray(2, whole.length - 2) });
    expect(body).toEqual({ model: "a/b", messages: [] });
  });
});
