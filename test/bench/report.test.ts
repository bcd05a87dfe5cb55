import { describe, expect, it } from "vitest";
import { formatSharedMaps, matrixVerdicts } from "../../bench/report.js";
import type { MatrixResult } from "../../bench/run-matrix.js";
import type { TargetName } from "../../bench/targets.js";

/** A matrix of one cell (SSE c=64) over three reps, with the CPU figures given per target and rep. */
function matrix(cpu: Partial<Record<TargetName, number[]>>, ttfc: Record<string, number> = {}): MatrixResult {
  const samples: MatrixResult["samples"] = [];
  const summary: MatrixResult["summary"] = {};
  for (const [target, reps] of Object.entries(cpu) as Array<[TargetName, number[]]>) {
    reps.forEach((cpuUsPerReq, rep) => samples.push({ target, cell: "sse-c64", rep, cpuUsPerReq } as MatrixResult["samples"][number]));
    const sorted = [...reps].sort((a, b) => a - b);
    summary[target] = { "sse-c64": { rps: 0, p50Ms: 0, p99Ms: 0, cpuUsPerReq: sorted[1]!, cpuRange: [sorted[0]!, sorted[2]!], non2xx: 0, errors: 0 } };
  }
  const times = Object.fromEntries(Object.entries(ttfc).map(([name, p50Ms]) => [name, { samples: 1, p50Ms, p90Ms: p50Ms, totalP50Ms: 12, events: 22 }]));
  return { samples, summary, ttfc: times };
}

describe("bench verdicts", () => {
  it("give the ratio of medians for pass/fail and the ratio within each rep beside it", () => {
    const m = matrix({ "modelmux-express": [300, 500, 450], "floor-express": [400, 400, 300] });
    const sse = matrixVerdicts(m).find((v) => v.target.startsWith("modelmux in Express, SSE c=64"))!;
    // Medians 450 / 400; within the reps 0.75, 1.25 and 1.50.
    expect(sse.value).toBe("1.13x (per rep: 0.75, 1.25, 1.50)");
    expect(sse.pass).toBe(false);
  });

  it("give the floors' own added time to first chunk beside modelmux's", () => {
    const m = matrix({}, { direct: 1, "floor-express": 2.2, "floor-node": 1.5, "modelmux-express": 2.5, "modelmux-koa": 1.9 });
    const express = matrixVerdicts(m).find((v) => v.target.startsWith("modelmux-express: added time"))!;
    expect(express.value).toBe("+1.50 ms (Express floor +1.20, node:http floor +0.50)");
    expect(express.pass).toBe(false);
    expect(matrixVerdicts(m).find((v) => v.target.startsWith("modelmux-koa: added time"))!.pass).toBe(true);
  });
});

describe("bench hidden-class report", () => {
  it("lists the Express-hosted servers and flags a modelmux in Express that lost its cache slot", () => {
    const lines = formatSharedMaps([
      { name: "floor-node", maps: { req: true, res: true } },
      { name: "floor-express", maps: { req: false, res: false } },
      { name: "modelmux-express", maps: { req: true, res: false } },
    ]);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/Express floor|express\.json/);
    expect(lines[2]).toContain("req no, res no");
    expect(lines[3]).toContain("req yes, res no");
    expect(lines[3]).toContain("lost V8's cache slot");
    expect(formatSharedMaps([{ name: "modelmux-express", maps: { req: true, res: true } }])[2]).not.toContain("lost");
    expect(formatSharedMaps([{ name: "modelmux-express" }])).toEqual([]);
  });
});
