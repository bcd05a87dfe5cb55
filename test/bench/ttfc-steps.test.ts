import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));

describe("bench:ttfc-steps", () => {
  // The real thing, small: a stamped mock and both stamped targets as processes (modelmux from dist/, which `npm test` builds first).
  it("times every step for both targets, in both orders, and the steps add up to the whole", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/ttfc-steps.ts", "--samples", "6", "--warmup", "3"], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL("../../bench/tsconfig.dist.json", import.meta.url)) },
      timeout: 60_000,
    });
    for (const order of ["taking turns", "back to back"]) {
      const section = stdout.split(`\n${order}`)[1]!.split("\n\n")[0]!;
      const rows = section.split("\n").slice(1).filter((line) => line.trim() !== "").map((line) => line.trim().split(/\s{2,}/));
      expect(rows.map((r) => r[0])).toHaveLength(8);
      for (const row of rows) {
        expect(row).toHaveLength(3);
        for (const figure of row.slice(1)) expect(Number(figure)).toBeGreaterThanOrEqual(0);
      }
      // Medians of the steps need not sum to the median of the whole, but they land near it.
      const whole = rows[7]!.slice(1).map(Number);
      const sums = [1, 2].map((col) => rows.slice(0, 7).reduce((a, r) => a + Number(r[col]), 0));
      sums.forEach((sum, i) => expect(sum).toBeGreaterThan(whole[i]! * 0.5));
    }
  }, 90_000);
});
