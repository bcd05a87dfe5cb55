import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = async (file: string) => (await promisify(execFile)(process.execPath, ["--import", "tsx", file], { cwd: root, timeout: 30_000 })).stdout;

// The self-contained examples run as a user would run them, so the README's commands stay true.
describe("examples", () => {
  it("fallback.ts: a failing upstream falls back to the mock model, attempts recorded", async () => {
    const out = await run("examples/fallback.ts");
    expect(out).toContain("status 200; answered by mock/echo: Who answers?");
    expect(out).toMatch(/attempts: \[\{"provider":"flaky".*"status":503.*\{"provider":"mock".*"status":200/);
  });

  it("accounting.ts: credit runs out with a 402 while the free model keeps working", async () => {
    const out = await run("examples/accounting.ts");
    expect(out).toContain("priced call 1: 200 cost $");
    expect(out).toContain("402 insufficient_balance");
    expect(out).toContain("free model at low balance: 200");
    expect(out).toMatch(/after top-up: 1\.0000\d+/);
  });
});
