import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./children/express-promotion-child.ts", import.meta.url));

/** Bytes V8's young-generation collections moved to the old generation while the child served its requests. */
async function promoted(server: "plain" | "preset"): Promise<{ bytes: number; scavenges: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--trace-gc-nvp", "--import", "tsx", child, server, "3000"], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  expect(stdout).toContain("done");
  const lines = stdout.slice(stdout.indexOf("measure\n")).split("\n").filter((l) => l.includes("gc=s "));
  const bytes = lines.reduce((sum, l) => sum + Number(/ promoted=(\d+)/.exec(l)?.[1] ?? 0), 0);
  return { bytes, scavenges: lines.length };
}

/**
 * What createServerOptions is for (README, "Mounting"): on a plain server
 * Express's prototype swap makes every request's objects outlive the
 * young-generation collections (V8 11.3, node 20), so they pile up for the
 * full ones; on a server from createServerOptions they die young. Counted
 * in bytes promoted, from V8's own trace: no clock in it.
 */
describe("Express requests on a server from createServerOptions", () => {
  it("die in the young generation, where on a plain server they are promoted", async () => {
    const [plain, preset] = await Promise.all([promoted("plain"), promoted("preset")]);
    expect(plain.scavenges).toBeGreaterThan(3);
    expect(preset.scavenges).toBeGreaterThan(3);
    // Measured: about 3 KB promoted per request on the plain server, a few hundred bytes in all on the other.
    expect(plain.bytes).toBeGreaterThan(1_000_000);
    expect(preset.bytes).toBeLessThan(plain.bytes / 20);
  }, 120_000);
});
