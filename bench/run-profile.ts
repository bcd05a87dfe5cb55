/**
 * Profile mode: one target under load with `node --cpu-prof` (`--profile`)
 * or V8's sampling heap profiler (`--alloc`), then a summary of where its
 * CPU went or what a request allocated. The profile file stays in
 * bench/results/profiles/ for Chrome DevTools or speedscope. With
 * `--against <target>`, both targets are profiled under the same load and
 * printed side by side per request.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerHandle } from "./child-process.js";
import { chatBody } from "./fixtures.js";
import type { LoadTool } from "./load/run-load.js";
import { measureCell } from "./measure-cell.js";
import { sleep } from "./stats.js";
import { compareAllocations, summarizeAllocations } from "./summarize-allocations.js";
import { compareProfiles, summarizeProfile } from "./summarize-profile.js";
import { chatUrl, startTarget, type TargetName } from "./targets.js";

interface ProfileOptions {
  tool: LoadTool;
  dir: string;
  upstreamBase: string;
  target: TargetName;
  /** CPU time (`--cpu-prof`) or allocations (sampled, freed objects included). */
  kind: "cpu" | "alloc";
  /** With alloc: only what outlived a young-generation collection (promoted, or freed by a full one). */
  survivors?: boolean;
  /** Also profile this target under the same load, then print the two side by side per request. */
  against?: TargetName;
  stream: boolean;
  connections: number;
  durationSec: number;
  outDir: string;
  log: (l: string) => void;
}

interface Profiled {
  name: string;
  file: string;
  cpuUsPerReq: number;
  /** Responses finished in the measured run. */
  requests: number;
}

const ALLOC_PRELOAD = fileURLToPath(new URL("./servers/sample-allocations.ts", import.meta.url));

async function profileOne(mock: ServerHandle, opts: ProfileOptions, target: TargetName): Promise<Profiled | undefined> {
  const before = new Set(readdirSync(opts.outDir));
  const allocFile = join(opts.outDir, `${target}-${opts.stream ? "sse" : "json"}-${Date.now()}.heapprofile`);
  const nodeFlags = opts.kind === "cpu" ? ["--cpu-prof", `--cpu-prof-dir=${opts.outDir}`, "--cpu-prof-interval=250"] : ["--import", ALLOC_PRELOAD];
  // The child inherits the environment at fork: the preload reads where to write from it.
  if (opts.kind === "alloc") process.env.MODELMUX_BENCH_ALLOC_OUT = allocFile;
  if (opts.survivors) process.env.MODELMUX_BENCH_ALLOC_SURVIVORS = "1";
  const t = await startTarget(target, opts.upstreamBase, { dir: opts.dir, nodeFlags });
  delete process.env.MODELMUX_BENCH_ALLOC_OUT;
  delete process.env.MODELMUX_BENCH_ALLOC_SURVIVORS;
  const spec = { url: chatUrl(t.server), connections: opts.connections, durationSec: opts.durationSec, requests: [{ body: chatBody({ stream: opts.stream }), headers: t.headers }] };
  await measureCell(opts.tool, t.server, mock, { ...spec, durationSec: 2 });
  // Allocations are sampled over the measured run only (SIGUSR2 starts and stops the sampler).
  if (opts.kind === "alloc") process.kill(t.server.pid, "SIGUSR2");
  const m = await measureCell(opts.tool, t.server, mock, spec);
  if (opts.kind === "alloc") {
    process.kill(t.server.pid, "SIGUSR2");
    for (let i = 0; i < 200 && !existsSync(allocFile); i++) await sleep(50);
  }
  opts.log(`profiled ${target} ${opts.stream ? "SSE" : "JSON"} c=${opts.connections}: ${m.rps.toFixed(0)} req/s, ${m.cpuUsPerReq.toFixed(0)} µs CPU/req (under the profiler)`);
  await t.server.stop();
  // No finished request (the load failed) gives no per-request figure.
  if (opts.kind === "alloc") return existsSync(allocFile) && m.serverFinished > 0 ? { name: target, file: allocFile, cpuUsPerReq: m.cpuUsPerReq, requests: m.serverFinished } : undefined;
  // The loader's worker thread (tsx) writes its own, nearly idle profile: the main thread's is the largest.
  const files = readdirSync(opts.outDir)
    .filter((f) => f.endsWith(".cpuprofile") && !before.has(f))
    .map((f) => ({ f, size: statSync(join(opts.outDir, f)).size }))
    .sort((a, b) => b.size - a.size);
  return files.length > 0 ? { name: target, file: join(opts.outDir, files[0]!.f), cpuUsPerReq: m.cpuUsPerReq, requests: m.serverFinished } : undefined;
}

export async function runProfile(mock: ServerHandle, opts: ProfileOptions): Promise<string[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const base = opts.against ? await profileOne(mock, opts, opts.against) : undefined;
  const main = await profileOne(mock, opts, opts.target);
  if (!main || (opts.against && !base)) return ["no profile written"];
  if (opts.kind === "alloc") return base ? compareAllocations(base, main) : summarizeAllocations(main);
  return base ? compareProfiles(base, main) : summarizeProfile(main.file);
}
