/**
 * `npm run bench:instructions -- [--targets floor-express,modelmux-express] [--cells json,sse]
 *   [--warmup 15000] [--requests 1000] [--connections 1] [--parallel 2] [--top 12] [--keep] [--cache-sim]`
 *
 * Instructions per request, counted, not timed: each target runs under
 * valgrind's callgrind, answers `--warmup` requests with the counting off
 * (valgrind without instrumentation, several times faster), then counting
 * is switched on and zeroed, it answers `--requests` more (about 50x slower
 * than natively), and callgrind writes what those cost, function by
 * function. The count does not depend on what else the machine does, where
 * CPU time per request moved up to 2x between reps on this VM: a change
 * too small to see in `npm run bench` shows here (see bench/README.md for
 * how stable each part is).
 *
 * What it does not see: time in the kernel (syscalls: socket and SQLite
 * writes), cache misses and stalls (a smaller count is not always less
 * time), and other processes. It complements `npm run bench`; it does not
 * replace it (bench/README.md, "Counting instructions").
 *
 * The server's generated code is named through `node --perf-basic-prof`,
 * so the breakdown tells modelmux's JS from Node's, Express's and undici's,
 * and from the engine's own work (GC, inline-cache misses, JSON, SQLite).
 * Under valgrind TurboFan keeps compiling long after it settles natively
 * (why is not known; bench/README.md), so some compiling falls in the
 * window: the verdict line compares the totals without it too.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { PARTS, nameGeneratedCode, parseCallgrind, sumByPart, topFunctions } from "./callgrind.js";
import { chatBody } from "./fixtures.js";
import { KNOWN_TARGETS, benchTmpDir, startMock, startTarget, type Target, type TargetName } from "./targets.js";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    targets: { type: "string" },
    cells: { type: "string" },
    warmup: { type: "string" },
    requests: { type: "string" },
    connections: { type: "string" },
    parallel: { type: "string" },
    top: { type: "string" },
    keep: { type: "boolean" },
    "cache-sim": { type: "boolean" },
  },
});
const targets = (values.targets ?? "floor-express,modelmux-express").split(",") as TargetName[];
for (const t of targets) if (!KNOWN_TARGETS.includes(t)) throw new Error(`unknown target ${t}; known: ${KNOWN_TARGETS.join(", ")}`);
const cells = (values.cells ?? "json,sse").split(",");
for (const c of cells) if (c !== "json" && c !== "sse") throw new Error(`unknown cell ${c}: json or sse`);
const warmup = Number(values.warmup ?? 15000);
const requests = Number(values.requests ?? 1000);
const connections = Number(values.connections ?? 1);
const parallel = Number(values.parallel ?? 2);
const top = Number(values.top ?? 12);
/** With --cache-sim, callgrind also models the caches (about twice as slow): misses per request beside the instructions. */
const cacheSim = values["cache-sim"] === true;
/**
 * The caches callgrind models: it has two levels, so the last level stands
 * for a core's own L2 (1 MB, 8-way, as on recent x86 server cores). Left
 * to itself it reads the VM's reported L3 (512 MB here), which no working
 * set misses.
 */
const CACHES = ["--cache-sim=yes", "--I1=32768,8,64", "--D1=32768,8,64", "--LL=1048576,8,64"];
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
/** With --keep, each target's callgrind dump and perf map stay here, for callgrind_annotate or a closer look. */
const kept = values.keep ? join(resultsDir, `${stamp}-callgrind`) : undefined;

try {
  await run("valgrind", ["--version"]);
} catch {
  console.error("bench:instructions needs valgrind on the PATH (apt-get install valgrind)");
  process.exit(1);
}

/** Sends `count` requests, `connections` at a time, each over a keep-alive connection; every answer must be a 200. */
async function drive(target: Target, body: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(`${target.server.url}/v1/chat/completions`);
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: "POST", agent, headers: { ...target.headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${target.name} answered ${res.statusCode}`))));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  let left = count;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left-- > 0) await once();
    }),
  );
  agent.destroy();
}

interface Measured {
  target: TargetName;
  cell: string;
  requests: number;
  /** Instructions per request: in all, by part, and the top functions by self cost. */
  total: number;
  parts: Record<string, number>;
  top: Array<[string, number]>;
  /** Every event callgrind counted, per request (`Ir`; with --cache-sim the misses: `D1mr`, `DLmr`, `ILmr`, ...). */
  events: Record<string, number>;
  maps?: { req: boolean; res: boolean };
}

const dir = benchTmpDir();
const mock = await startMock();
const upstream = `${mock.url}/v1`;

async function measure(name: TargetName, cell: string): Promise<Measured> {
  const out = join(kept ?? dir, `callgrind-${name}-${cell}`);
  mkdirSync(out, { recursive: true });
  const target = await startTarget(name, upstream, {
    dir,
    label: `${name}-${cell}`,
    // No full GC forced before the window: tried, it made V8 throw away optimized code and recompile in the window (1.4x the count).
    nodeFlags: ["--perf-basic-prof"],
    wrapper: ["valgrind", "--tool=callgrind", `--callgrind-out-file=${out}/callgrind.%p`, "--dump-instr=no", "--instr-atstart=no", "--quiet", ...(cacheSim ? CACHES : [])],
  });
  const pid = target.server.pid;
  const perfMap = `/tmp/perf-${pid}.map`;
  try {
    const body = chatBody({ stream: cell === "sse" });
    console.error(`[instructions] ${name} ${cell}: ${warmup} requests to warm up`);
    await drive(target, body, warmup);
    await run("callgrind_control", ["--instr=on", String(pid)]);
    await run("callgrind_control", ["--zero", String(pid)]);
    const before = (await target.server.stats()).finished;
    await drive(target, body, requests);
    await run("callgrind_control", ["--dump", String(pid)]);
    const stats = await target.server.stats();
    const answered = stats.finished - before;
    const dump = readdirSync(out).filter((f) => f.startsWith(`callgrind.${pid}.`)).sort().at(-1);
    if (!dump) throw new Error(`callgrind wrote no dump for ${name}`);
    const self = nameGeneratedCode(parseCallgrind(readFileSync(join(out, dump), "utf8")), readFileSync(perfMap, "utf8"));
    if (kept) copyFileSync(perfMap, join(out, `perf-${pid}.map`));
    const per = (n: number) => Math.round(n / answered);
    console.error(`[instructions] ${name} ${cell}: ${per(self.total).toLocaleString("en-US")} per request`);
    return {
      target: name,
      cell,
      requests: answered,
      total: per(self.total),
      parts: Object.fromEntries([...sumByPart(self)].map(([k, v]) => [k, per(v)])),
      top: topFunctions(self, top).map(([k, v]) => [k, per(v)]),
      events: Object.fromEntries(Object.entries(self.events).map(([k, v]) => [k, per(v)])),
      maps: stats.maps,
    };
  } finally {
    await target.server.stop();
    rmSync(perfMap, { force: true });
  }
}

const started = Date.now();
const jobs = cells.flatMap((cell) => targets.map((target) => ({ target, cell })));
const results: Measured[] = [];
let next = 0;
try {
  await Promise.all(
    Array.from({ length: Math.min(parallel, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        results.push(await measure(job.target, job.cell));
      }
    }),
  );
} finally {
  // A failed job (a target that answered other than 200) ends the run; each target stops itself in measure().
  await mock.stop();
}

const fmt = (n: number) => n.toLocaleString("en-US");
const compiler = "JIT compiler";
const lines: string[] = [`Instructions per request (callgrind; ${warmup} to warm up, then ${requests} counted, c=${connections})`];
for (const cell of cells) {
  const row = targets.map((t) => results.find((r) => r.target === t && r.cell === cell)!);
  lines.push("", `${cell.toUpperCase()}`, `${"".padEnd(44)}${row.map((r) => r.target.padStart(20)).join("")}`);
  for (const [part] of PARTS) lines.push(`${part.padEnd(44)}${row.map((r) => fmt(r.parts[part] ?? 0).padStart(20)).join("")}`);
  lines.push(`${"total".padEnd(44)}${row.map((r) => fmt(r.total).padStart(20)).join("")}`);
  const base = row[0]!;
  if (cacheSim) {
    // What a count of instructions cannot see: each miss at the 1 MB level waits on L3 or memory.
    const misses = (r: Measured, names: string[]) => names.reduce((sum, n) => sum + (r.events[n] ?? 0), 0);
    lines.push(`${"cache misses (simulated): 32 KB level".padEnd(44)}${row.map((r) => fmt(misses(r, ["I1mr", "D1mr", "D1mw"])).padStart(20)).join("")}`);
    lines.push(`${"cache misses (simulated): 1 MB level".padEnd(44)}${row.map((r) => fmt(misses(r, ["ILmr", "DLmr", "DLmw"])).padStart(20)).join("")}`);
  }
  for (const r of row.slice(1)) {
    const steady = (m: Measured) => m.total - (m.parts[compiler] ?? 0);
    lines.push(`${r.target} / ${base.target}: ${(r.total / base.total).toFixed(2)}x in all, ${(steady(r) / steady(base)).toFixed(2)}x without the JIT compiler`);
  }
  for (const r of row) {
    lines.push(`top functions, ${r.target} (self):`);
    for (const [name, ir] of r.top) lines.push(`  ${fmt(ir).padStart(9)}  ${name.slice(0, 110)}`);
  }
}
lines.push("", `took ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (kept) lines.push(`callgrind dumps and perf maps: ${kept}`);
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${stamp}-instructions.json`);
writeFileSync(file, JSON.stringify({ warmup, requests, connections, results }, null, 2));
console.log([...lines, `results: ${file}`].join("\n"));
rmSync(dir, { recursive: true, force: true });
