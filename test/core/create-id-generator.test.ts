import { describe, expect, it } from "vitest";
import { createIdGenerator } from "../../src/core/create-id-generator.js";

describe("createIdGenerator", () => {
  it("writes the time as 12 hex digits, then 16 base64url characters of random", () => {
    for (const t of [0, 1, 15, 16, 255, 0xffffff, 0x1000000, 1_735_689_600_123, 2 ** 48 - 1]) {
      const id = createIdGenerator(() => t)("gen");
      expect(id).toMatch(/^gen-[0-9a-f]{12}[A-Za-z0-9_-]{16}$/);
      expect(id.slice(4, 16)).toBe(t.toString(16).padStart(12, "0"));
    }
  });

  it("writes a time past 12 hex digits in full, as toString(16) does", () => {
    const id = createIdGenerator(() => 2 ** 48 + 5)("gen");
    expect(id.slice(4, 17)).toBe((2 ** 48 + 5).toString(16));
  });

  it("makes ids that sort by time, and differ within one millisecond", () => {
    let now = 1_735_689_600_000;
    const next = createIdGenerator(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) {
      if (i % 100 === 0) now += 4095;
      ids.push(next("req"));
    }
    expect(new Set(ids).size).toBe(ids.length);
    const byTime = ids.map((id) => id.slice(0, 16));
    expect([...byTime].sort()).toEqual(byTime);
  });
});
