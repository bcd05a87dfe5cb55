import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));

describe("bench:ttfc-steps", () => {
  // The real thing, small: a stamped mock and both stamped targets as processes (modelmux from dist/, which `npm test` builds first).
  it("times every step for both targets, in both orders, and the steps add up to the whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ttfc-steps-"));
    const file = join(dir, "steps.json");
    let stdout: string;
    let raw: Record<string, Record<string, number[][]>>;
    try {
      ({ stdout } = await run(process.execPath, ["--import", "tsx", "bench/ttfc-steps.ts", "--samples", "6", "--warmup", "3", "--json", file], {
        cwd: root,
        env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL("../../bench/tsconfig.dist.json", import.meta.url)) },
        timeout: 60_000,
      }));
      raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, number[][]>>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const order of ["taking turns", "back to back"]) {
      const section = stdout.split(`\n${order}`)[1]!.split("\n\n")[0]!;
      const rows = section.split("\n").slice(1).filter((line) => line.trim() !== "").map((line) => line.trim().split(/\s{2,}/));
      expect(rows.map((r) => r[0])).toHaveLength(8);
      for (const row of rows) {
        expect(row).toHaveLength(3);
        for (const figure of row.slice(1)) expect(Number(figure)).toBeGreaterThanOrEqual(0);
      }
    }
    // The table shows medians, which need not add up; each request's own steps do, exactly: they cut one timeline read from one clock.
    expect(Object.keys(raw)).toEqual(["taking turns", "back to back"]);
    for (const byTarget of Object.values(raw)) {
      expect(Object.keys(byTarget)).toEqual(["Express floor", "modelmux in Express"]);
      for (const steps of Object.values(byTarget)) {
        expect(steps).toHaveLength(8);
        for (const step of steps) expect(step).toHaveLength(6);
        for (let i = 0; i < 6; i++) {
          const parts = steps.slice(0, 7).map((step) => step[i]!);
          for (const part of parts) expect(part).toBeGreaterThanOrEqual(0);
          expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(steps[7]![i]!, 3);
        }
      }
    }
  }, 90_000);
});
