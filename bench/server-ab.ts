/**
 * `npm run bench:server-ab -- <old dist dir> <new dist dir> [--mount express|koa|node]
 *    [--reps 5] [--duration 3] [--cells json-c64,sse-c64,json-c1,sse-c1] [--samples 300]`
 *
 * Two builds of modelmux side by side as servers, each mounted the same way
 * (`servers/modelmux-dist.ts`, with the build's own adapter, Express by
 * default), with the node:http floor and the mock upstream beside them:
 *
 * - CPU µs per request of each server process per cell, the two builds
 *   taking turns within every rep (the order swapped each rep), wrk or
 *   autocannon as in `npm run bench`;
 * - time to first chunk at c=1 (the bench's slow-tail probe), the targets
 *   taking turns in rotated rounds.
 *
 * What `npm run bench:ab` cannot see (it calls `gateway.handle()` in
 * process) shows here: the adapters, the HTTP writes, the store's writes
 * behind. Only differences within one run count; a build compared with
 * itself tells the noise of the day.
 *
 * To build the current tree and an older commit, see `bench/ab-core.ts`;
 * both builds need `nodeGateway` (8e03bef or later) for `--mount node`.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkTarget } from "./check-target.js";
import { spawnServer, type ServerHandle } from "./child-process.js";
import { SLOWTAIL_MODEL, chatBody } from "./fixtures.js";
import { pickLoadTool } from "./load/run-load.js";
import { measureCell } from "./measure-cell.js";
import { CELLS, type CellName } from "./run-matrix.js";
import { median } from "./stats.js";
import { benchTmpDir, chatUrl, startMock, startTarget } from "./targets.js";
import { measureTtfc } from "./ttfc.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mount: { type: "string" }, reps: { type: "string" }, duration: { type: "string" }, cells: { type: "string" }, samples: { type: "string" } },
});
const [oldDir, newDir] = positionals;
const mount = values.mount ?? "express";
const cells = (values.cells ?? "json-c64,sse-c64,json-c1,sse-c1").split(",") as CellName[];
if (!oldDir || !newDir || !["express", "koa", "node"].includes(mount) || !cells.every((c) => CELLS.some((k) => k.name === c))) {
  console.error("usage: npm run bench:server-ab -- <old dist dir> <new dist dir> [--mount express|koa|node] [--reps 5] [--duration 3] [--cells json-c64,sse-c64,json-c1,sse-c1] [--samples 300]");
  process.exit(2);
}
const reps = Number(values.reps ?? 5);
const durationSec = Number(values.duration ?? 3);
const samples = Number(values.samples ?? 300);
const tool = pickLoadTool();
const log = (line: string) => console.error(`[server-ab] ${line}`);

const dir = benchTmpDir();
const mock = await startMock();
const upstream = `${mock.url}/v1`;
const floor = await startTarget("floor-node", upstream, { dir });
const start = (name: string, build: string): Promise<ServerHandle> =>
  spawnServer(name, "./servers/modelmux-dist.ts", [upstream, JSON.stringify({ db: resolve(dir, `${name}.db`) }), resolve(build), mount]);
const builds = [
  { name: `old (${oldDir})`, server: await start("old", oldDir), cpu: {} as Record<string, number[]> },
  { name: `new (${newDir})`, server: await start("new", newDir), cpu: {} as Record<string, number[]> },
];
const headersOf = (s: ServerHandle) => ({ "content-type": "application/json", authorization: `Bearer ${String(s.info.key)}` });
const bodies = { json: chatBody(), sse: chatBody({ stream: true }) };
const spec = (s: ServerHandle, stream: boolean, connections: number, seconds: number) => ({
  url: chatUrl(s),
  connections,
  durationSec: seconds,
  requests: [{ body: stream ? bodies.sse : bodies.json, headers: headersOf(s) }],
});

try {
  for (const b of builds) {
    await checkTarget(b.name, chatUrl(b.server), headersOf(b.server), bodies.json, bodies.sse, true);
    for (const stream of [false, true]) await measureCell(tool, b.server, mock, spec(b.server, stream, 64, 2));
  }
  log(`both builds answer with cost, mounted with ${mount}; warmed up`);
  for (let rep = 0; rep < reps; rep++) {
    for (const name of cells) {
      const cell = CELLS.find((c) => c.name === name)!;
      for (const b of rep % 2 === 0 ? builds : [...builds].reverse()) {
        const m = await measureCell(tool, b.server, mock, spec(b.server, cell.stream, cell.connections, durationSec));
        (b.cpu[name] ??= []).push(m.cpuUsPerReq);
        log(`rep ${rep + 1}/${reps} ${cell.label.padEnd(9)} ${b.name}: ${m.cpuUsPerReq.toFixed(0)} µs CPU/req${m.non2xx || m.errors ? ` (${m.non2xx} non-2xx, ${m.errors} errors)` : ""}`);
      }
    }
  }
  const probes = [
    { name: "direct to the mock", url: `${upstream}/chat/completions`, headers: { "content-type": "application/json" } },
    { name: "floor: node:http", url: chatUrl(floor.server), headers: floor.headers },
    ...builds.map((b) => ({ name: b.name, url: chatUrl(b.server), headers: headersOf(b.server) })),
  ];
  const ttfc = samples > 0 ? await measureTtfc(probes, chatBody({ stream: true, model: SLOWTAIL_MODEL }), samples) : undefined;

  console.log(`modelmux mounted with ${mount}, ${reps} reps x ${durationSec} s per cell, ${tool}; CPU µs per request (median, min-max)`);
  console.log(`  ${"cell".padEnd(10)} ${builds.map((b) => b.name.padEnd(40)).join(" ")} new/old`);
  for (const name of cells) {
    const [o, n] = builds.map((b) => b.cpu[name]!);
    const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`.padEnd(40);
    console.log(`  ${CELLS.find((c) => c.name === name)!.label.padEnd(10)} ${fmt(o!)} ${fmt(n!)} ${(median(n!) / median(o!)).toFixed(3)}`);
  }
  if (ttfc) {
    const direct = ttfc[probes[0]!.name]!.p50Ms;
    console.log(`time to first chunk, c=1, ${samples} streams per target    p50 ms   p90 ms   added p50`);
    for (const p of probes) {
      const t = ttfc[p.name]!;
      console.log(`  ${p.name.padEnd(48)} ${t.p50Ms.toFixed(2).padStart(6)}   ${t.p90Ms.toFixed(2).padStart(6)}   ${p === probes[0] ? "" : `+${(t.p50Ms - direct).toFixed(2)}`}`);
    }
    const [o, n] = builds.map((b) => ttfc[b.name]!.p50Ms);
    console.log(`  new - old, p50: ${(n! - o!).toFixed(3)} ms`);
  }
} finally {
  for (const s of [floor.server, ...builds.map((b) => b.server), mock]) await s.stop();
}
