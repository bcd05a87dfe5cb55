import { describe, expect, it } from "vitest";
import { Cancel } from "../../src/core/cancel.js";

describe("Cancel", () => {
  it("aborts once: the reason is kept, the listeners run in order, a second abort changes nothing", () => {
    const cancel = new Cancel();
    const seen: string[] = [];
    cancel.onAbort(() => seen.push(`a:${String(cancel.reason)}`));
    cancel.onAbort(() => seen.push("b"));
    cancel.abort("why");
    cancel.abort("again");
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe("why");
    expect(seen).toEqual(["a:why", "b"]);
  });

  it("aborts with an AbortError by default, like AbortController", () => {
    const cancel = new Cancel();
    cancel.abort();
    expect(cancel.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe("AbortError");
  });

  it("stops calling a listener once it is removed, and calls none added after the abort (as AbortSignal)", () => {
    const cancel = new Cancel();
    let calls = 0;
    const stop = cancel.onAbort(() => calls++);
    stop();
    stop();
    cancel.abort();
    cancel.onAbort(() => calls++);
    expect(calls).toBe(0);
  });

  it("makes a real AbortSignal only when asked, aborted with the same reason before or after", () => {
    const early = new Cancel();
    const signal = early.signal;
    expect(early.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    early.abort("late reason");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("late reason");

    const late = new Cancel();
    late.abort("first");
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe("first");
  });

  it.each([
    ["a Cancel", () => new Cancel()],
    ["an AbortSignal", () => new AbortController()],
  ] as const)("follows %s with its reason until unlinked", (_name, make) => {
    const parent = make();
    const { cancel, unlink } = Cancel.following(parent instanceof Cancel ? parent : parent.signal);
    const other = make();
    const { cancel: unlinked, unlink: stop } = Cancel.following(other instanceof Cancel ? other : other.signal);
    stop();
    parent.abort("parent gone");
    other.abort("other gone");
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe("parent gone");
    expect(unlinked.aborted).toBe(false);
    unlink();
  });

  it("starts aborted when it follows a parent that already is", () => {
    const controller = new AbortController();
    controller.abort("done");
    const { cancel } = Cancel.following(controller.signal);
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe("done");
  });
});
