/**
 * wrk with a generated Lua script: the requests are formatted once at
 * start-up (POST, headers, body) and sent round-robin; done() prints one
 * JSON line with the counts and the latency percentiles (µs).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadResult, LoadSpec } from "./load-spec.js";

function luaString(s: string): string {
  let eq = "=";
  while (s.includes(`]${eq}]`)) eq += "=";
  // A long string drops a leading newline; the bodies never start with one.
  return `[${eq}[${s}]${eq}]`;
}

function luaScript(spec: LoadSpec): string {
  const lines = ["local reqs = {}"];
  // wrk.format with its own header table sends no Host (and Node answers 400): add it.
  const host = new URL(spec.url).host;
  for (const r of spec.requests) {
    const headers = Object.entries({ host, ...r.headers }).map(([k, v]) => `[ ${luaString(k)} ] = ${luaString(v)}`).join(", ");
    lines.push(`reqs[#reqs + 1] = wrk.format("POST", nil, { ${headers} }, ${luaString(r.body)})`);
  }
  lines.push(
    "local n = #reqs",
    "local i = math.random(n) - 1",
    "request = function() i = i % n + 1; return reqs[i] end",
    "done = function(summary, latency, requests)",
    '  local e = summary.errors',
    '  io.write(string.format("BENCH_JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p99\\":%d}\\n",',
    "    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))",
    "end",
  );
  return lines.join("\n");
}

export function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "modelmux-wrk-"));
  const script = join(dir, "bench.lua");
  writeFileSync(script, luaScript(spec));
  // One wrk thread: on a 2-core box every extra thread takes CPU from the server under test.
  const args = ["-t1", `-c${spec.connections}`, `-d${spec.durationSec}s`, "--timeout", "30s", "-s", script, spec.url];
  return new Promise((resolve, reject) => {
    execFile("wrk", args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
      if (error || !line) return reject(new Error(`wrk failed: ${error?.message ?? ""} ${stderr} ${stdout}`));
      const r = JSON.parse(line.slice("BENCH_JSON ".length)) as Record<string, number>;
      const durationSec = r.duration_us! / 1e6;
      resolve({
        tool: "wrk",
        requests: r.requests!,
        durationSec,
        rps: r.requests! / durationSec,
        p50Ms: r.p50! / 1000,
        p99Ms: r.p99! / 1000,
        non2xx: r.status!,
        errors: r.connect! + r.read! + r.write! + r.timeout!,
      });
    });
  });
}
