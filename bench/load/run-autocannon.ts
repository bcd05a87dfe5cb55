import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadResult, LoadSpec } from "./load-spec.js";

/** autocannon run as a child process (never in the parent: its CPU would mix with the orchestration). */
export function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "modelmux-ac-"));
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(spec));
  const child = fileURLToPath(new URL("./autocannon-child.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", child, file], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
      if (error || !line) return reject(new Error(`autocannon failed: ${error?.message ?? ""} ${stderr}`));
      const r = JSON.parse(line.slice("BENCH_JSON ".length)) as Omit<LoadResult, "tool" | "rps">;
      resolve({ tool: "autocannon", ...r, rps: r.requests / r.durationSec });
    });
  });
}
