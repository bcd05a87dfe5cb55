import { execFileSync } from "node:child_process";
import type { LoadResult, LoadSpec } from "./load-spec.js";
import { runAutocannon } from "./run-autocannon.js";
import { runWrk } from "./run-wrk.js";

export type LoadTool = "wrk" | "autocannon";

/** wrk when it is on the PATH (it costs the 2-core box least), else autocannon. */
export function pickLoadTool(wanted?: string): LoadTool {
  if (wanted === "autocannon") return "autocannon";
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return "wrk";
  } catch (error) {
    // `wrk --version` exits 1 after printing its version; only a missing binary is ENOENT.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return "wrk";
    if (wanted === "wrk") throw new Error("--loadgen wrk asked for, but wrk is not installed");
    return "autocannon";
  }
}

export function runLoad(tool: LoadTool, spec: LoadSpec): Promise<LoadResult> {
  return tool === "wrk" ? runWrk(spec) : runAutocannon(spec);
}
