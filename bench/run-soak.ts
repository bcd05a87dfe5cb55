/**
 * Soak: modelmux in Express at c=64 for a long run of mixed traffic (45%
 * JSON, 45% SSE, 10% requests the gateway refuses after auth: a bad role and
 * an unknown model), sampling RSS and heap (after a forced GC) every 10 s.
 * Growth is the least-squares slope after warm-up, as a share of the level.
 */
import type { ServerHandle } from "./child-process.js";
import { ERROR_BODIES, chatBody } from "./fixtures.js";
import type { LoadRequest } from "./load/load-spec.js";
import { runLoad, type LoadTool } from "./load/run-load.js";
import type { Verdict } from "./report.js";
import { linearFit, sleep } from "./stats.js";
import { chatUrl, startTarget } from "./targets.js";

export interface SoakOptions {
  tool: LoadTool;
  dir: string;
  upstreamBase: string;
  durationSec: number;
  intervalSec: number;
  log: (line: string) => void;
}

export interface SoakSample {
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
  finished: number;
  cpuUs: number;
}

export async function runSoak(mock: ServerHandle, opts: SoakOptions) {
  const target = await startTarget("modelmux-express", opts.upstreamBase, { dir: opts.dir, label: "soak", nodeFlags: ["--expose-gc"] });
  const json = chatBody();
  const sse = chatBody({ stream: true });
  const requests: LoadRequest[] = [];
  for (let i = 0; i < 9; i++) requests.push({ body: json, headers: target.headers }, { body: sse, headers: target.headers });
  requests.push({ body: ERROR_BODIES.validation, headers: target.headers }, { body: ERROR_BODIES.unknownModel, headers: target.headers });

  const samples: SoakSample[] = [];
  const sample = async (t0: number) => {
    const s = await target.server.stats({ gc: true });
    const x: SoakSample = { t: (Date.now() - t0) / 1000, rss: s.rss, heapUsed: s.heapUsed, external: s.external, finished: s.finished, cpuUs: s.userUs + s.systemUs };
    samples.push(x);
    return x;
  };
  const t0 = Date.now();
  await sample(t0);
  const load = runLoad(opts.tool, { url: chatUrl(target.server), connections: 64, durationSec: opts.durationSec, requests });
  let running = true;
  void load.finally(() => (running = false)).catch(() => undefined);
  let last = samples[0]!;
  while (running) {
    await Promise.race([sleep(opts.intervalSec * 1000), load.catch(() => undefined)]);
    if (!running) break;
    const x = await sample(t0);
    const rps = (x.finished - last.finished) / (x.t - last.t);
    const cpu = (x.cpuUs - last.cpuUs) / Math.max(1, x.finished - last.finished);
    opts.log(`soak t=${x.t.toFixed(0).padStart(4)} s  rss ${(x.rss / 1048576).toFixed(1).padStart(6)} MB  heap ${(x.heapUsed / 1048576).toFixed(1).padStart(6)} MB  ${rps.toFixed(0).padStart(6)} req/s  ${cpu.toFixed(0)} µs CPU/req`);
    last = x;
  }
  const result = await load;
  const usage = (await target.server.stats({ extra: true })).extra;
  await target.server.stop();

  const warm = Math.max(30, opts.durationSec * 0.1);
  const after = samples.filter((s) => s.t >= warm);
  const growth = (key: "rss" | "heapUsed") => {
    if (after.length < 3) return { slopeMBperMin: Number.NaN, growthPct: Number.NaN };
    const fit = linearFit(after.map((s) => s.t), after.map((s) => s[key]));
    const start = fit.intercept + fit.slope * after[0]!.t;
    const end = fit.intercept + fit.slope * after.at(-1)!.t;
    return { slopeMBperMin: (fit.slope * 60) / 1048576, growthPct: ((end - start) / start) * 100 };
  };
  const rss = growth("rss");
  const heap = growth("heapUsed");
  const total = samples.at(-1)!;
  const lines = [
    `Soak: ${opts.durationSec} s at c=64, mixed 45% JSON / 45% SSE / 10% refused (400, 404); heap sampled after a forced GC`,
    `  ${result.rps.toFixed(0)} req/s, ${result.requests} responses, ${result.non2xx} refused (${((result.non2xx / result.requests) * 100).toFixed(1)}%, 10% expected), ${result.errors} socket errors; usage rows written: ${String(usage?.usageRows ?? "?")}`,
    `  CPU per request over the soak: ${((total.cpuUs - samples[0]!.cpuUs) / Math.max(1, total.finished - samples[0]!.finished)).toFixed(0)} µs`,
    `  RSS  ${(after[0]?.rss ?? 0) / 1048576 > 0 ? ((after[0]!.rss / 1048576).toFixed(1) + " -> " + (total.rss / 1048576).toFixed(1) + " MB") : "-"}, after warm-up (${warm.toFixed(0)} s) slope ${rss.slopeMBperMin.toFixed(2)} MB/min, fitted growth ${rss.growthPct.toFixed(1)}%`,
    `  heap ${after[0] ? ((after[0].heapUsed / 1048576).toFixed(1) + " -> " + (total.heapUsed / 1048576).toFixed(1) + " MB") : "-"}, slope ${heap.slopeMBperMin.toFixed(2)} MB/min, fitted growth ${heap.growthPct.toFixed(1)}%`,
  ];
  const verdicts: Verdict[] = [
    { target: "soak: RSS flat (growth < 10% after warm-up)", value: growthValue(rss.growthPct, warm), pass: rss.growthPct < 10 },
    { target: "soak: heap flat (growth < 10% after warm-up)", value: growthValue(heap.growthPct, warm), pass: heap.growthPct < 10 },
    { target: "soak: no socket errors, refusals only from the 10% error share", value: `${result.errors} errors, ${((result.non2xx / result.requests) * 100).toFixed(1)}% refused`, pass: result.errors === 0 && Math.abs(result.non2xx / result.requests - 0.1) < 0.02 },
  ];
  return { load: result, samples, rss, heap, usage, lines, verdicts };
}

/** A soak too short to leave three samples after its warm-up has no growth figure: say so instead of "NaN%". */
function growthValue(pct: number, warmSec: number): string {
  return Number.isFinite(pct) ? `${pct.toFixed(1)}%` : `not measured: fewer than 3 samples after the ${warmSec.toFixed(0)} s warm-up (run --soak 300)`;
}
