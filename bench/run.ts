/**
 * `npm run bench`: modelmux against the floors, side by side, in one run.
 *
 *   npm run bench                       the matrix + TTFC + a short cost-growth check (< 5 min)
 *   npm run bench -- --preset           the default run plus Express on servers from createServerOptions (~6.5 min)
 *   npm run bench -- --soak 300         300 s soak at c=64, mixed traffic, RSS/heap every 10 s
 *   npm run bench -- --growth           the full cost-growth check (10,000 models, 1,000,000 keys)
 *   npm run bench -- --long-stream 180  one 180 s stream through modelmux: never cut by a hidden cap
 *   npm run bench -- --profile modelmux-express [--sse] [--duration 10] [--against floor-express]
 *                                       one target under node --cpu-prof, with a summary (or two, per request)
 *   npm run bench -- --alloc modelmux-express [--sse] [--against floor-express] [--survivors]
 *                                       what a request allocates (sampled heap profile), by file and function;
 *                                       --survivors: only what outlived a young-generation collection
 *   options: --duration <s> --reps <n> --warmup <s> --targets a,b --loadgen wrk|autocannon
 *            --ttfc-samples <n> --no-growth --quick --preset
 *
 * See bench/README.md for how to read the output.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { rmSync } from "node:fs";
import type { ServerHandle } from "./child-process.js";
import { pickLoadTool } from "./load/run-load.js";
import { formatMatrix, formatSharedMaps, formatVerdicts, matrixVerdicts, type Verdict } from "./report.js";
import type { ChildStats } from "./servers/serve-bench-child.js";
import { LARGE_OBJECT_BODY, MESSAGES_BELOW_LARGEST, runGrowth } from "./run-growth.js";
import { runMatrix } from "./run-matrix.js";
import { runProfile } from "./run-profile.js";
import { runSoak } from "./run-soak.js";
import { runLongStream } from "./run-long-stream.js";
import { ALL_TARGETS, KNOWN_TARGETS, PRESET_TARGETS, TARGET_LABELS, benchTmpDir, startMock, startTarget, type Target, type TargetName } from "./targets.js";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string" },
    reps: { type: "string" },
    warmup: { type: "string" },
    targets: { type: "string" },
    loadgen: { type: "string" },
    "ttfc-samples": { type: "string" },
    soak: { type: "string" },
    "long-stream": { type: "string" },
    growth: { type: "boolean" },
    "no-growth": { type: "boolean" },
    profile: { type: "string" },
    alloc: { type: "string" },
    against: { type: "string" },
    sse: { type: "boolean" },
    survivors: { type: "boolean" },
    preset: { type: "boolean" },
    connections: { type: "string" },
    quick: { type: "boolean" },
  },
});

const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
const started = Date.now();
const log = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));

async function main() {
  const tool = pickLoadTool(args.loadgen);
  const dir = benchTmpDir();
  const machine = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "?",
    memGB: Math.round(totalmem() / 2 ** 30),
    loadgen: tool,
    platform: `${process.platform} ${process.arch}`,
  };
  const header = `modelmux bench: Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), load generator ${tool}`;
  log(header);
  const children: ServerHandle[] = [];
  const mock = await startMock();
  children.push(mock);
  const upstreamBase = `${mock.url}/v1`;
  const printed: string[] = [header];
  const verdicts: Verdict[] = [];
  const json: Record<string, unknown> = { startedAt: new Date(started).toISOString(), machine, args };
  const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");

  try {
    if (args.profile || args.alloc) {
      const kind = args.profile ? "cpu" : "alloc";
      const target = (args.profile ?? args.alloc) as TargetName;
      if (!KNOWN_TARGETS.includes(target)) throw new Error(`--${args.profile ? "profile" : "alloc"}: one of ${KNOWN_TARGETS.join(", ")}`);
      const against = args.against as TargetName | undefined;
      if (against !== undefined && !KNOWN_TARGETS.includes(against)) throw new Error(`--against: one of ${KNOWN_TARGETS.join(", ")}`);
      const lines = await runProfile(mock, {
        tool, dir, upstreamBase, target, kind, against, stream: !!args.sse, survivors: !!args.survivors, connections: num(args.connections, 64), durationSec: num(args.duration, 10), outDir: join(resultsDir, "profiles"), log,
      });
      console.log(lines.join("\n"));
      return;
    }

    if (args["long-stream"]) {
      const long = await runLongStream({ dir, upstreamBase, seconds: Number(args["long-stream"]), log });
      printed.push("", ...long.lines);
      verdicts.push(...long.verdicts);
      json.longStream = long;
    } else if (args.soak) {
      const soak = await runSoak(mock, { tool, dir, upstreamBase, durationSec: Number(args.soak), intervalSec: 10, log });
      printed.push("", ...soak.lines);
      verdicts.push(...soak.verdicts);
      json.soak = { load: soak.load, samples: soak.samples, rss: soak.rss, heap: soak.heap, usage: soak.usage };
    } else if (args.growth) {
      const growth = await runGrowth(mock, {
        tool, dir, upstreamBase, keys: 1_000_000, models: 10_000, activeKeys: 20_000, durationSec: num(args.duration, 3), reps: num(args.reps, 3),
        sizeReps: num(args.reps, 3), sizeDurationSec: num(args.duration, 2),
        messages: [1, 10, 100, MESSAGES_BELOW_LARGEST, 1000], bytes: [0, 10_240, 102_400, LARGE_OBJECT_BODY, 1_048_576], log,
      });
      printed.push("", ...growth.lines);
      verdicts.push(...growth.verdicts);
      json.growth = growth;
    } else {
      const quick = !!args.quick;
      const names = (args.targets?.split(",") ?? (args.preset ? [...ALL_TARGETS, ...PRESET_TARGETS] : ALL_TARGETS)) as TargetName[];
      for (const n of names) if (!KNOWN_TARGETS.includes(n)) throw new Error(`unknown target ${n}; targets: ${KNOWN_TARGETS.join(", ")}`);
      const targets: Target[] = [];
      for (const n of names) {
        const t = await startTarget(n, upstreamBase, { dir });
        targets.push(t);
        children.push(t.server);
      }
      log(`started: mock upstream + ${names.join(", ")} (each its own process)`);
      const durationSec = num(args.duration, quick ? 1 : 3);
      const reps = num(args.reps, quick ? 1 : 3);
      const matrix = await runMatrix(targets, mock, {
        tool, durationSec, reps, warmupSec: num(args.warmup, quick ? 1 : 2), ttfcSamples: num(args["ttfc-samples"], quick ? 50 : 200), log,
      });
      const peakRss: Partial<Record<TargetName, number>> = {};
      const finals: Record<string, unknown> = {};
      for (const t of targets) {
        const s = await t.server.stats({ extra: true });
        peakRss[t.name] = s.maxRss;
        finals[t.name] = s;
      }
      printed.push(`${reps} reps x ${durationSec} s per cell, interleaved; medians. E = ratio to the Express floor, N = ratio to the node:http floor (same run).`, "");
      printed.push(...formatMatrix(matrix, peakRss));
      for (const t of targets) {
        const extra = (finals[t.name] as { extra?: { usageRows?: number } }).extra;
        if (extra) printed.push(`  ${TARGET_LABELS[t.name]}: ${extra.usageRows} usage records written to SQLite during the run`);
      }
      printed.push(...formatSharedMaps(targets.map((t) => ({ name: t.name, maps: (finals[t.name] as ChildStats).maps }))));
      verdicts.push(...matrixVerdicts(matrix));
      json.matrix = matrix;
      json.peakRss = peakRss;
      json.finalStats = finals;
      json.settings = { durationSec, reps };

      if (!args["no-growth"] && names.includes("modelmux-express")) {
        for (const t of targets) await t.server.stop();
        children.length = 1;
        // 2,000 keys in rotation against a key cache of 1,000 (keyCache.max), so every request still reaches
        // the store: the warm-up reads each key once within its three rounds of 3 s per gateway. With the default
        // cache (10,000) it took 12,000 keys and five rounds each, about 12 s more of a run that must stay
        // under 5 minutes.
        const growth = await runGrowth(mock, {
          tool, dir, upstreamBase, keys: quick ? 50_000 : 200_000, models: 10_000, activeKeys: 2_000, keyCacheMax: 1_000, durationSec: quick ? 1 : 2, reps: quick ? 1 : 3,
          // Two 1 s measurements per size after its 1 s warm-up: about what one 2 s measurement took before.
          sizeReps: quick ? 1 : 2, sizeDurationSec: 1,
          messages: [1, 100, MESSAGES_BELOW_LARGEST, 1000], bytes: [0, LARGE_OBJECT_BODY, 1_048_576], log,
        });
        printed.push("", ...growth.lines, "  (short version; `npm run bench -- --growth` uses 1,000,000 keys, more sizes and reps)");
        verdicts.push(...growth.verdicts);
        json.growth = growth;
      }
    }

    printed.push("", "Targets (issue 7):", ...formatVerdicts(verdicts));
    json.verdicts = verdicts;
    json.printed = printed;
    mkdirSync(resultsDir, { recursive: true });
    const out = join(resultsDir, `${stamp}${args.soak ? "-soak" : args.growth ? "-growth" : ""}.json`);
    writeFileSync(out, JSON.stringify(json, null, 2));
    printed.push("", `results: ${out}`, `took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`\n${printed.join("\n")}`);
  } finally {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
