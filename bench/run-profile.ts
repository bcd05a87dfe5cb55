/**
 * Profile mode: one target under load with `node --cpu-prof`, then a
 * summary of where its CPU went. The profile file stays in
 * bench/results/profiles/ for Chrome DevTools or speedscope. With
 * `--against <target>`, both targets are profiled under the same load and
 * printed side by side in CPU µs per request.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ServerHandle } from "./child-process.js";
import { chatBody } from "./fixtures.js";
import type { LoadTool } from "./load/run-load.js";
import { measureCell } from "./measure-cell.js";
import { compareProfiles, summarizeProfile } from "./summarize-profile.js";
import { chatUrl, startTarget, type TargetName } from "./targets.js";

interface ProfileOptions {
  tool: LoadTool;
  dir: string;
  upstreamBase: string;
  target: TargetName;
  /** Also profile this target under the same load, then print the two side by side per request. */
  against?: TargetName;
  stream: boolean;
  connections: number;
  durationSec: number;
  outDir: string;
  log: (l: string) => void;
}

async function profileOne(mock: ServerHandle, opts: ProfileOptions, target: TargetName): Promise<{ name: string; file: string; cpuUsPerReq: number } | undefined> {
  const before = new Set(readdirSync(opts.outDir));
  const t = await startTarget(target, opts.upstreamBase, { dir: opts.dir, nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${opts.outDir}`, "--cpu-prof-interval=250"] });
  const spec = { url: chatUrl(t.server), connections: opts.connections, durationSec: opts.durationSec, requests: [{ body: chatBody({ stream: opts.stream }), headers: t.headers }] };
  await measureCell(opts.tool, t.server, mock, { ...spec, durationSec: 2 });
  const m = await measureCell(opts.tool, t.server, mock, spec);
  opts.log(`profiled ${target} ${opts.stream ? "SSE" : "JSON"} c=${opts.connections}: ${m.rps.toFixed(0)} req/s, ${m.cpuUsPerReq.toFixed(0)} µs CPU/req (under the profiler)`);
  await t.server.stop();
  // The loader's worker thread (tsx) writes its own, nearly idle profile: the main thread's is the largest.
  const files = readdirSync(opts.outDir)
    .filter((f) => f.endsWith(".cpuprofile") && !before.has(f))
    .map((f) => ({ f, size: statSync(join(opts.outDir, f)).size }))
    .sort((a, b) => b.size - a.size);
  return files.length > 0 ? { name: target, file: join(opts.outDir, files[0]!.f), cpuUsPerReq: m.cpuUsPerReq } : undefined;
}

export async function runProfile(mock: ServerHandle, opts: ProfileOptions): Promise<string[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const base = opts.against ? await profileOne(mock, opts, opts.against) : undefined;
  const main = await profileOne(mock, opts, opts.target);
  if (!main || (opts.against && !base)) return ["no profile written"];
  return base ? compareProfiles(base, main) : summarizeProfile(main.file);
}
