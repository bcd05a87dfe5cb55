import { describe, expect, it } from "vitest";
import { nanoToUsd, parseDecimal, usdToNano } from "../../src/accounting/parse-usd.js";

describe("parseDecimal", () => {
  it.each([
    ["0.15", 12, 150_000_000_000n],
    ["1", 12, 1_000_000_000_000n],
    ["0.000000000001", 12, 1n],
    ["0", 9, 0n],
    [" 2.5 ", 9, 2_500_000_000n],
    ["123456789.123456789", 9, 123_456_789_123_456_789n],
  ])("%s at scale %i", (text, scale, expected) => {
    expect(parseDecimal(text, scale)).toBe(expected);
  });

  it.each([["-1"], ["abc"], ["1e-3"], [""], ["1.2.3"], ["0.0000000000001"]])("rejects %j", (text) => {
    expect(() => parseDecimal(text, 12)).toThrow();
  });
});

describe("usdToNano / nanoToUsd", () => {
  it.each([
    [0.1, 100_000_000],
    ["0.000000001", 1],
    [-1.5, -1_500_000_000],
    [0.1 + 0.2, 300_000_000],
    [25, 25_000_000_000],
    ["10", 10_000_000_000],
  ])("usdToNano(%j) = %i", (usd, nano) => {
    expect(usdToNano(usd)).toBe(nano);
  });

  it.each([
    [1, 1e-9],
    [123_456_789, 0.123456789],
    [-500_000_000, -0.5],
    [0, 0],
    [450_000, 0.00045],
  ])("nanoToUsd(%i) = %f", (nano, usd) => {
    expect(nanoToUsd(nano)).toBe(usd);
  });

  it("the division gives exactly the 9-decimal value, across magnitudes (seeded sample)", () => {
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const nano = (next() * 2 ** 20 + next()) % 10 ** (1 + (i % 16));
      expect(nanoToUsd(nano)).toBe(Number((nano / 1e9).toFixed(9)));
      expect(nanoToUsd(-nano)).toBe(Number((-nano / 1e9).toFixed(9)));
    }
  });

  it("round-trips without floating-point drift", () => {
    let total = 0;
    for (let i = 0; i < 1000; i++) total += usdToNano(0.001);
    expect(nanoToUsd(total)).toBe(1);
  });
});
