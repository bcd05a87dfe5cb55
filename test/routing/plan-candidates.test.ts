import { describe, expect, it } from "vitest";
import type { CatalogModel, CatalogRoute } from "../../src/catalog/catalog-model.js";
import { planCandidates, type PlanOptions } from "../../src/routing/plan-candidates.js";
import { makeModel } from "../accounts/helpers.js";
import { seeded } from "./fault-upstream.js";

const route = (provider: string, weight = 1, priority = 0): CatalogRoute => ({ key: `${provider}:m`, provider, model: "m", weight, priority });
const model = (routes: CatalogRoute[], extra: Partial<CatalogModel> = {}) => makeModel({ routes, ...extra });
const opts = (extra: Partial<PlanOptions> = {}): PlanOptions => ({ cooling: new Set(), random: seeded(1), latencyOf: () => undefined, ...extra });
const providers = (m: CatalogModel[], o: PlanOptions) => planCandidates(m, o).map((c) => c.route.provider);

describe("weighted choice inside a tier", () => {
  it("first picks follow the weights (chi-square over 20 000 seeded draws)", () => {
    const m = model([route("a", 1), route("b", 2), route("c", 7)]);
    const o = opts({ random: seeded(42) });
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[planCandidates([m], o)[0]!.route.provider]!++;
    const expected: Record<string, number> = { a: n * 0.1, b: n * 0.2, c: n * 0.7 };
    const chi2 = Object.keys(counts).reduce((s, k) => s + (counts[k]! - expected[k]!) ** 2 / expected[k]!, 0);
    // df = 2; p = 0.001 critical value is 13.82.
    expect(chi2).toBeLessThan(13.82);
  });

  it("the rest follow as fallbacks, each pick proportional among those left", () => {
    const m = model([route("a", 1), route("b", 1), route("c", 8)]);
    const o = opts({ random: seeded(7) });
    let aSecondGivenCFirst = 0;
    let cFirst = 0;
    for (let i = 0; i < 10_000; i++) {
      const order = providers([m], o);
      expect([...order].sort()).toEqual(["a", "b", "c"]);
      if (order[0] === "c") {
        cFirst++;
        if (order[1] === "a") aSecondGivenCFirst++;
      }
    }
    // Given c first, a and b are equally likely second: a tolerance band of ±3 %.
    expect(aSecondGivenCFirst / cFirst).toBeGreaterThan(0.47);
    expect(aSecondGivenCFirst / cFirst).toBeLessThan(0.53);
  });
});

describe("priority tiers, latency, cooldowns", () => {
  it("a lower priority tier is only a fallback, whatever its weight", () => {
    const m = model([route("slow", 100, 1), route("a", 1, 0), route("b", 1, 0)]);
    for (let i = 0; i < 50; i++) expect(providers([m], opts({ random: seeded(i) })).at(-1)).toBe("slow");
  });

  it("least latency: unmeasured first, then fastest moving average", () => {
    const m = model([route("a"), route("b"), route("c")], { routing: "latency" });
    const lat: Record<string, number> = { "a:m": 300, "c:m": 100 };
    expect(providers([m], opts({ latencyOf: (k) => lat[k] }))).toEqual(["b", "c", "a"]);
  });

  it("cooling routes go last, still tried when everything else failed", () => {
    const m = model([route("a", 1, 0), route("b", 1, 1)]);
    expect(providers([m], opts({ cooling: new Set(["a:m"]) }))).toEqual(["b", "a"]);
  });
});

describe("caller controls (the provider object, vendor pin)", () => {
  const m = model([route("a", 1, 0), route("b", 1, 1), route("c", 1, 2)]);
  it.each<[string, Partial<PlanOptions>, string[]]>([
    ["vendor pin", { vendor: "b" }, ["b"]],
    ["vendor auto", { vendor: "auto" }, ["a", "b", "c"]],
    ["order", { prefs: { order: ["c", "b"] } }, ["c", "b", "a"]],
    ["only", { prefs: { only: ["b", "c"] } }, ["b", "c"]],
    ["ignore", { prefs: { ignore: ["a"] } }, ["b", "c"]],
    ["allow_fallbacks false", { prefs: { allow_fallbacks: false } }, ["a"]],
    ["allow_fallbacks false with order", { prefs: { allow_fallbacks: false, order: ["c", "b"] } }, ["c", "b"]],
    ["sort latency across tiers", { prefs: { sort: "latency" }, latencyOf: (k: string) => ({ "a:m": 500, "b:m": 50, "c:m": 200 })[k] }, ["b", "c", "a"]],
    ["vendor with no route", { vendor: "zzz" }, []],
  ])("%s", (_name, o, expected) => {
    expect(providers([m], opts(o))).toEqual(expected);
  });

  it("sort price orders the models of a fallback chain; max_price filters them", () => {
    const pricey = makeModel({ id: "x/pricey", pricing: { prompt: "5", completion: "15" }, prices: { ...makeModel().prices, prompt: 5n, completion: 15n }, routes: [route("a")] });
    const cheap = makeModel({ id: "x/cheap", pricing: { prompt: "0.1", completion: "0.2" }, prices: { ...makeModel().prices, prompt: 1n, completion: 2n }, routes: [route("b")] });
    expect(planCandidates([pricey, cheap], opts({ prefs: { sort: "price" } })).map((c) => c.model.id)).toEqual(["x/cheap", "x/pricey"]);
    expect(planCandidates([pricey, cheap], opts({ prefs: { max_price: { prompt: 1 } } })).map((c) => c.model.id)).toEqual(["x/cheap"]);
    expect(planCandidates([pricey], opts({ prefs: { max_price: { completion: "10" } } }))).toEqual([]);
  });
});
