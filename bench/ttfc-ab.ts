/**
 * `npm run bench:ttfc-ab -- <old dist dir> <new dist dir> [--samples 500]`
 *
 * Time to first chunk of two builds of modelmux, side by side: each build
 * on its own node:http server (`servers/modelmux-dist.ts`), with the
 * node:http floor and the mock upstream beside them. The slow-tail stream
 * of the bench's TTFC probe, sent in rounds, one request to each target per
 * round in a rotated order (as `npm run bench` does), so drift hits all
 * alike. Prints p50 and p90 and the added p50 over direct. Only the
 * differences within one run count; the absolute figures move from run to
 * run.
 *
 * To build the current tree and an older commit, see `bench/ab-core.ts`;
 * both builds need `nodeGateway` (8e03bef or later).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { spawnServer } from "./child-process.js";
import { SLOWTAIL_MODEL, chatBody } from "./fixtures.js";
import { benchTmpDir, chatUrl, startMock, startTarget } from "./targets.js";
import { measureTtfc } from "./ttfc.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { samples: { type: "string" } } });
const [oldDir, newDir] = positionals;
if (!oldDir || !newDir) {
  console.error("usage: npm run bench:ttfc-ab -- <old dist dir> <new dist dir> [--samples 500]");
  process.exit(2);
}
const samples = Number(values.samples ?? 500);

const dir = benchTmpDir();
const mock = await startMock();
const upstream = `${mock.url}/v1`;
const floor = await startTarget("floor-node", upstream, { dir });
const builds = [
  { name: `old (${oldDir})`, server: await spawnServer("old", "./servers/modelmux-dist.ts", [upstream, resolve(dir, "old.db"), resolve(oldDir)]) },
  { name: `new (${newDir})`, server: await spawnServer("new", "./servers/modelmux-dist.ts", [upstream, resolve(dir, "new.db"), resolve(newDir)]) },
];
try {
  const probes = [
    { name: "direct to the mock", url: `${upstream}/chat/completions`, headers: { "content-type": "application/json" } },
    { name: "floor: node:http", url: chatUrl(floor.server), headers: floor.headers },
    ...builds.map((b) => ({ name: b.name, url: chatUrl(b.server), headers: { "content-type": "application/json", authorization: `Bearer ${String(b.server.info.key)}` } })),
  ];
  const r = await measureTtfc(probes, chatBody({ stream: true, model: SLOWTAIL_MODEL }), samples);
  const direct = r[probes[0]!.name]!.p50Ms;
  console.log(`time to first chunk, c=1, ${samples} streams per target    p50 ms   p90 ms   added p50`);
  for (const p of probes) {
    const t = r[p.name]!;
    console.log(`  ${p.name.padEnd(48)} ${t.p50Ms.toFixed(2).padStart(6)}   ${t.p90Ms.toFixed(2).padStart(6)}   ${p === probes[0] ? "" : `+${(t.p50Ms - direct).toFixed(2)}`}`);
  }
  const [oldT, newT] = builds.map((b) => r[b.name]!.p50Ms);
  console.log(`new - old, p50: ${(newT! - oldT!).toFixed(3)} ms`);
} finally {
  for (const s of [floor.server, ...builds.map((b) => b.server), mock]) await s.stop();
}
